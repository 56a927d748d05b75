// `phospho/ai-sdk`: a language-model middleware for the Vercel AI SDK (`ai`). Every call the SDK makes to the
// model (`generateText`, `streamText`, `generateObject`, `streamObject`, one per step of a multi-step run) is
// one task.
//
//   import { wrapLanguageModel, generateText } from "ai";
//   import { phosphoMiddleware } from "phospho/ai-sdk";
//   const model = wrapLanguageModel({ model: openai("gpt-4o"), middleware: phosphoMiddleware({ sessionId }) });
//   await generateText({ model, prompt, providerOptions: { phospho: { userId: "u1" } } }); // per call
//
// `ai` is not imported: the middleware is structural, so it stays an optional peer of this package.

import { isAbort, now, record, type Measured, type Summary } from "../shared/measure.js";
import { type CallOptions, type CaptureOptions, isObject, logFields } from "../shared/options.js";
import { observeParts } from "./observe-parts.js";
import { PartsReader, summariseContent } from "./read.js";

export type { CallOptions, CaptureOptions, PhosphoLike } from "../shared/options.js";

interface ModelLike {
  readonly provider: string;
  readonly modelId: string;
}

interface CallParamsLike {
  prompt?: unknown;
  tools?: unknown;
  toolChoice?: unknown;
  responseFormat?: unknown;
  providerOptions?: unknown;
}

interface GenerateOptions<R> {
  doGenerate: () => PromiseLike<R>;
  params: CallParamsLike;
  model: ModelLike;
}

interface StreamOptions<R> {
  doStream: () => PromiseLike<R>;
  params: CallParamsLike;
  model: ModelLike;
}

/** The middleware object `wrapLanguageModel({ model, middleware })` takes. */
export interface PhosphoMiddleware {
  wrapGenerate<R>(options: GenerateOptions<R>): Promise<R>;
  wrapStream<R extends { stream: unknown }>(options: StreamOptions<R>): Promise<R>;
}

/** Per-call options: `providerOptions: { phospho: { sessionId, userId, versionId, taskId, metadata } }`. */
function callOptions(params: CallParamsLike): CallOptions | undefined {
  const all = params.providerOptions;
  return isObject(all) && isObject(all.phospho) ? (all.phospho as CallOptions) : undefined;
}

/** The raw input: the full prompt (system, user, assistant and tool messages) and what the call offered. */
function inputOf(params: CallParamsLike, model: ModelLike): Record<string, unknown> {
  const input: Record<string, unknown> = {
    model: model.modelId,
    provider: model.provider,
    messages: params.prompt,
  };
  if (params.tools !== undefined) input.tools = params.tools;
  if (params.toolChoice !== undefined) input.toolChoice = params.toolChoice;
  if (params.responseFormat !== undefined) input.responseFormat = params.responseFormat;
  return input;
}

/** Which step of a multi-step run this call is: the assistant turns since the last user message. */
function stepIndex(prompt: unknown): number {
  if (!Array.isArray(prompt)) return 0;
  let steps = 0;
  for (let i = prompt.length - 1; i >= 0; i--) {
    const role = (prompt[i] as { role?: unknown } | null)?.role;
    if (role === "user") break;
    if (role === "assistant") steps++;
  }
  return steps;
}

function failure(error: unknown, started: number): Measured {
  return {
    provider: "ai-sdk",
    latencyMs: now() - started,
    status: isAbort(error) ? "cancelled" : "error",
    error,
  };
}

export function phosphoMiddleware(options: CaptureOptions = {}): PhosphoMiddleware {
  const fieldsOf = (params: CallParamsLike) => {
    const fields = logFields(options, callOptions(params));
    fields.step_index = stepIndex(params.prompt);
    return fields;
  };
  return {
    async wrapGenerate({ doGenerate, params, model }) {
      const started = now();
      const fields = fieldsOf(params);
      const input = inputOf(params, model);
      let result;
      try {
        result = await doGenerate();
      } catch (error) {
        record(options.phospho, fields, input, undefined, failure(error, started));
        throw error;
      }
      try {
        const r = (isObject(result) ? result : {}) as Record<string, unknown>;
        const response = isObject(r.response) ? r.response : {};
        const modelId = typeof response.modelId === "string" ? response.modelId : model.modelId;
        const content = Array.isArray(r.content) ? (r.content as unknown[]) : [];
        const summary = summariseContent(content, r.finishReason, r.usage, modelId);
        record(options.phospho, fields, input, summary, {
          provider: "ai-sdk",
          latencyMs: now() - started,
          status: "completed",
        });
      } catch {
        // Logging must never break the call.
      }
      return result;
    },

    async wrapStream({ doStream, params, model }) {
      const started = now();
      const fields = fieldsOf(params);
      const input = inputOf(params, model);
      let result;
      try {
        result = await doStream();
      } catch (error) {
        record(options.phospho, fields, input, undefined, failure(error, started));
        throw error;
      }
      const source = (result as { stream?: unknown }).stream;
      if (typeof ReadableStream === "undefined" || !(source instanceof ReadableStream)) return result;
      const reader = new PartsReader();
      let firstAt: number | undefined;
      const stream = observeParts(
        source,
        (part) => {
          if (reader.add(part) && firstAt === undefined) firstAt = now();
        },
        (status, error) => {
          const summary: Summary = reader.summary(model.modelId);
          const failed = error ?? reader.error;
          record(options.phospho, fields, input, summary, {
            provider: "ai-sdk",
            latencyMs: now() - started,
            ttftMs: firstAt === undefined ? undefined : firstAt - started,
            status: status === "completed" && reader.error !== undefined ? "error" : status,
            error: failed,
          });
        },
      );
      return { ...result, stream };
    },
  };
}

// Builds the event for one `log()` call from already-resolved input and output values. Never throws: any
// failure of an extractor or a user function falls back to the value's JSON text.

import type { LogEvent, LogParams } from "../types.js";
import { extractInput } from "./input.js";
import { type JsonValue, toJsonSafe, toJsonText, typeName } from "./json-safe.js";
import { extractOutput } from "./output.js";
import { truncateText } from "./truncate.js";
import type { Extracted, Usage } from "./types.js";

export interface EventLimits {
  projectId: string;
  maxContentChars: number;
  maxRawChars: number;
  mask: ((text: string) => string) | undefined;
  versionId: string | undefined;
  environment: string | undefined;
}

/** Keys of `LogParams` that are options, not metadata. */
const PARAM_KEYS = new Set([
  "input",
  "output",
  "sessionId",
  "session_id",
  "taskId",
  "task_id",
  "userId",
  "user_id",
  "versionId",
  "version_id",
  "flag",
  "environment",
  "metadata",
  "stream",
  "inputToStrFunction",
  "outputToStrFunction",
  "test_id",
  "step_id",
  "project_id",
]);

function applyMask(text: string, mask: EventLimits["mask"]): string {
  if (!mask) return text;
  try {
    return mask(text);
  } catch {
    return "[mask failed]";
  }
}

function extractWith(
  value: unknown,
  custom: ((x: unknown) => string) | undefined,
  builtin: (x: unknown) => Extracted | undefined,
  maxChars: number,
): Extracted {
  if (custom) {
    try {
      const text = custom(value);
      return { text: typeof text === "string" ? text : toJsonText(text, maxChars) };
    } catch {
      // A failing user extractor must not lose the log: fall through to the built-in one.
    }
  }
  try {
    const found = builtin(value);
    if (found) return found;
  } catch {
    // Same: an unexpected shape falls back to JSON text.
  }
  if (value === undefined || value === null) return { text: null };
  return { text: toJsonText(value, maxChars) };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export interface BuiltEvent {
  event: LogEvent;
  /** Estimated serialised size in characters. */
  size: number;
}

export function buildEvent(
  params: LogParams,
  taskId: string,
  input: unknown,
  output: unknown,
  limits: EventLimits,
  outputText?: { text: string | null; usage?: Usage | undefined },
): BuiltEvent {
  const inExtracted = extractWith(
    input,
    params.inputToStrFunction as ((x: unknown) => string) | undefined,
    extractInput,
    limits.maxContentChars,
  );
  const outExtracted: Extracted = outputText
    ? { text: outputText.text, ...(outputText.usage ? { usage: outputText.usage } : {}) }
    : extractWith(
        output,
        params.outputToStrFunction as ((x: unknown) => string) | undefined,
        extractOutput,
        limits.maxContentChars,
      );

  const rawIn = toJsonSafe(input, { maxChars: limits.maxRawChars, mask: limits.mask });
  const rawOut = outputText
    ? { value: outputText.text as JsonValue, size: (outputText.text?.length ?? 0) + 2 }
    : toJsonSafe(output, { maxChars: limits.maxRawChars, mask: limits.mask });

  const inputText = truncateText(applyMask(inExtracted.text ?? "", limits.mask), limits.maxContentChars);
  const outputTextFinal =
    outExtracted.text === null
      ? null
      : truncateText(applyMask(outExtracted.text, limits.mask), limits.maxContentChars);

  const event: LogEvent = {
    task_id: taskId,
    project_id: limits.projectId,
    input: inputText,
    output: outputTextFinal,
    client_created_at: Math.floor(Date.now() / 1000),
    raw_input: rawIn.value,
    raw_output: rawOut.value,
    raw_input_type_name: typeName(input),
    raw_output_type_name: typeName(output),
  };
  let size = inputText.length + (outputTextFinal?.length ?? 0) + rawIn.size + rawOut.size + 300;

  const sessionId = params.sessionId ?? params.session_id;
  if (typeof sessionId === "string" || sessionId === null) event.session_id = sessionId;
  const userId = str(params.userId) ?? str(params.user_id);
  if (userId !== undefined) event.user_id = userId;
  const versionId = str(params.versionId) ?? str(params.version_id) ?? limits.versionId;
  if (versionId !== undefined) event.version_id = versionId;
  if (params.flag === "success" || params.flag === "failure") event.flag = params.flag;
  const environment = str(params.environment) ?? limits.environment;
  if (environment !== undefined) event.environment = environment;
  if (typeof params.test_id === "string") event.test_id = params.test_id;
  if (typeof params.step_id === "string") event.step_id = params.step_id;

  const model = outExtracted.model ?? inExtracted.model;
  if (model !== undefined) event.model = model;
  if (inExtracted.systemPrompt !== undefined) {
    event.system_prompt = truncateText(
      applyMask(inExtracted.systemPrompt, limits.mask),
      limits.maxContentChars,
    );
    size += event.system_prompt.length;
  }
  const usage = outExtracted.usage;
  if (usage?.prompt_tokens !== undefined) event.prompt_tokens = usage.prompt_tokens;
  if (usage?.completion_tokens !== undefined) event.completion_tokens = usage.completion_tokens;
  if (usage?.total_tokens !== undefined) event.total_tokens = usage.total_tokens;

  const extras: Record<string, unknown> = {};
  let hasExtras = false;
  for (const key of Object.keys(params)) {
    if (PARAM_KEYS.has(key)) continue;
    extras[key] = params[key];
    hasExtras = true;
  }
  const explicit = params.metadata && typeof params.metadata === "object" ? params.metadata : undefined;
  if (hasExtras || explicit) {
    const meta = toJsonSafe({ ...extras, ...explicit }, { maxChars: limits.maxRawChars, mask: limits.mask });
    if (meta.value !== null && typeof meta.value === "object" && !Array.isArray(meta.value)) {
      event.metadata = meta.value;
      size += meta.size;
    }
  }
  return { event, size };
}

/** The content returned for a log that is not queued (disabled, sampled out, not initialised): no copying. */
export function bareEvent(params: LogParams, taskId: string, projectId: string): LogEvent {
  return {
    task_id: taskId,
    project_id: projectId,
    input: typeof params.input === "string" ? params.input : "",
    output: typeof params.output === "string" ? params.output : null,
    client_created_at: Math.floor(Date.now() / 1000),
    raw_input: null,
    raw_output: null,
    raw_input_type_name: typeof params.input,
    raw_output_type_name: typeof params.output,
  };
}

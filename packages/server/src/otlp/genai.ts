/**
 * One OTLP span as a step: its kind, model, tokens, input and output from the GenAI attributes of every generation
 * in use (see the mapping table in the collector's README). Attributes that became a column, the input or the
 * output are removed; those said under several names are kept once, under the current name (normalize.ts); the
 * rest stay in `attributes`, with the resource's under `resource`.
 */
import type { ChatMessage, Step, StepKind } from "../steps/index.js";
import {
  fromChatMessages,
  fromEventBody,
  fromIndexed,
  fromPartsMessages,
  fromSystemInstructions,
  jsonValue,
} from "./messages.js";
import { Attributes } from "./attributes.js";
import { normalizedAttributes } from "./normalize.js";
import type { OtlpSpan } from "./read.js";

type Obj = Record<string, unknown>;

const KIND_BY_OPERATION: Record<string, StepKind> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  completion: "llm",
  embeddings: "embedding",
  embedding: "embedding",
  execute_tool: "tool",
  invoke_agent: "agent",
  create_agent: "agent",
  retrieval: "retrieval",
  retrieve: "retrieval",
  rerank: "retrieval",
  workflow: "agent",
  agent: "agent",
  tool: "tool",
  task: "other",
  llm: "llm",
  retriever: "retrieval",
  reranker: "retrieval",
  chain: "other",
};

function kindOf(span: OtlpSpan, a: Obj): StepKind {
  const operationId = typeof a["ai.operationId"] === "string" ? a["ai.operationId"] : "";
  if (operationId) {
    if (/\.do(Generate|Stream)$/.test(operationId)) return "llm";
    if (operationId === "ai.toolCall") return "tool";
    if (/embed/i.test(operationId)) return "embedding";
    return "agent";
  }
  for (const key of [
    "gen_ai.operation.name",
    "traceloop.span.kind",
    "llm.request.type",
    "openinference.span.kind",
  ]) {
    const value = a[key];
    if (typeof value === "string" && KIND_BY_OPERATION[value.toLowerCase()])
      return KIND_BY_OPERATION[value.toLowerCase()]!;
  }
  if (a["gen_ai.tool.name"] !== undefined) return "tool";
  if (a["gen_ai.request.model"] !== undefined || a["gen_ai.usage.input_tokens"] !== undefined) return "llm";
  if (/retriev|vector|search/i.test(span.name) || a["db.vector.query.top_k"] !== undefined)
    return "retrieval";
  return "other";
}

function eventMessages(span: OtlpSpan, side: "input" | "output"): ChatMessage[] | null {
  const out: ChatMessage[] = [];
  for (const event of span.events) {
    const isOutput = event.name === "gen_ai.choice";
    const isInput = /^gen_ai\.(system|user|assistant|tool)\.message$/.test(event.name);
    if ((side === "input" && isInput) || (side === "output" && isOutput)) {
      const body = event.attributes["gen_ai.event.content"] ?? event.attributes;
      const m = fromEventBody(event.name, body);
      if (m) out.push(m);
    }
    // The oldest conventions: one event holding the whole prompt or completion as JSON.
    if (side === "input" && event.name === "gen_ai.content.prompt")
      out.push(...fromChatMessages(event.attributes["gen_ai.prompt"]));
    if (side === "output" && event.name === "gen_ai.content.completion") {
      out.push(...fromChatMessages(event.attributes["gen_ai.completion"]));
    }
  }
  return out.length > 0 ? out : null;
}

function vercelOutput(a: Attributes): ChatMessage[] | null {
  const text = a.text("ai.response.text");
  const calls = jsonValue(a.first("ai.response.toolCalls"));
  const object = a.first("ai.response.object");
  const toolCalls = Array.isArray(calls)
    ? (fromChatMessages([
        { role: "assistant", content: calls.map((c: Obj) => ({ type: "tool-call", ...c })) },
      ])[0]?.tool_calls ?? [])
    : [];
  if (text === null && toolCalls.length === 0 && object === undefined) return null;
  const message: ChatMessage = {
    role: "assistant",
    content: text ?? (object === undefined ? null : String(object)),
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return [message];
}

function vercelInput(a: Attributes): ChatMessage[] | null {
  const messages = a.first("ai.prompt.messages");
  if (messages !== undefined) return fromChatMessages(messages);
  const prompt = jsonValue(a.first("ai.prompt"));
  if (typeof prompt === "string") return [{ role: "user", content: prompt }];
  if (typeof prompt !== "object" || prompt === null) return null;
  const p = prompt as Obj;
  const out: ChatMessage[] = [];
  if (typeof p.system === "string") out.push({ role: "system", content: p.system });
  if (typeof p.prompt === "string") out.push({ role: "user", content: p.prompt });
  out.push(...fromChatMessages(p.messages));
  return out.length > 0 ? out : null;
}

function contentOf(a: Attributes, span: OtlpSpan, kind: StepKind): { input: unknown; output: unknown } {
  if (kind === "tool") {
    return {
      input:
        jsonValue(
          a.first(
            "gen_ai.tool.call.arguments",
            "ai.toolCall.args",
            "ai.toolCall.input",
            "traceloop.entity.input",
            "input.value",
          ),
        ) ?? null,
      output:
        jsonValue(
          a.first(
            "gen_ai.tool.call.result",
            "ai.toolCall.result",
            "ai.toolCall.output",
            "traceloop.entity.output",
            "output.value",
          ),
        ) ?? null,
    };
  }
  const system = fromSystemInstructions(a.first("gen_ai.system_instructions"));
  const input =
    fromPartsMessages(a.first("gen_ai.input.messages")) ??
    fromIndexed(a.all, "gen_ai.prompt", a.used) ??
    vercelInput(a) ??
    eventMessages(span, "input") ??
    (a.all["gen_ai.prompt"] !== undefined ? fromChatMessages(a.first("gen_ai.prompt")) : null);
  const output =
    fromPartsMessages(a.first("gen_ai.output.messages")) ??
    fromIndexed(a.all, "gen_ai.completion", a.used) ??
    vercelOutput(a) ??
    eventMessages(span, "output") ??
    (a.all["gen_ai.completion"] !== undefined ? fromChatMessages(a.first("gen_ai.completion")) : null);
  const withSystem =
    system && input && input[0]?.role !== "system"
      ? [system, ...input]
      : (input ?? (system ? [system] : null));
  return {
    input: withSystem ?? jsonValue(a.first("traceloop.entity.input", "input.value")) ?? null,
    output: output ?? jsonValue(a.first("traceloop.entity.output", "output.value")) ?? null,
  };
}

function errorOf(span: OtlpSpan, a: Attributes): string | null {
  if (span.statusCode !== 2) return null;
  const exception = span.events.find((event) => event.name === "exception");
  const message = exception?.attributes["exception.message"];
  const type = exception?.attributes["exception.type"];
  return (
    span.statusMessage ??
    (typeof message === "string" ? (typeof type === "string" ? `${type}: ${message}` : message) : null) ??
    a.text("error.type") ??
    "error"
  );
}

export function spanToStep(span: OtlpSpan): Step {
  const a = new Attributes(span.attributes);
  const kind = kindOf(span, span.attributes);
  const prompt = a.count(
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "ai.usage.inputTokens",
    "ai.usage.promptTokens",
    "llm.usage.prompt_tokens",
    "llm.token_count.prompt",
  );
  const completion = a.count(
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "ai.usage.outputTokens",
    "ai.usage.completionTokens",
    "llm.usage.completion_tokens",
    "llm.token_count.completion",
  );
  const total =
    a.count(
      "gen_ai.usage.total_tokens",
      "llm.usage.total_tokens",
      "ai.usage.totalTokens",
      "llm.token_count.total",
    ) ?? (prompt !== null || completion !== null ? (prompt ?? 0) + (completion ?? 0) : null);
  const { input, output } = contentOf(a, span, kind);
  // Kept in `attributes` on purpose: the task reads them from there (cost, TTFT of a stream).
  const ttft = Number(
    span.attributes["ai.response.msToFirstChunk"] ?? span.attributes["ai.stream.msToFirstChunk"],
  );
  const eventsLeft = span.events.filter(
    (event) =>
      !/^gen_ai\.((system|user|assistant|tool)\.message|choice|content\.(prompt|completion))$/.test(
        event.name,
      ),
  );
  const error = errorOf(span, a);
  const model = a.text(
    "gen_ai.response.model",
    "gen_ai.request.model",
    "ai.response.model",
    "ai.model.id",
    "llm.response.model",
    "llm.request.model",
    "llm.model_name",
  );
  const cacheRead = a.count(
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "ai.usage.cachedInputTokens",
    "ai.usage.inputTokenDetails.cacheReadTokens",
    "llm.token_count.prompt_details.cache_read",
  );
  const cacheWrite = a.count(
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "ai.usage.inputTokenDetails.cacheWriteTokens",
    "llm.token_count.prompt_details.cache_write",
  );
  const reasoning = a.count(
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.reasoning_tokens",
    "ai.usage.reasoningTokens",
    "ai.usage.outputTokenDetails.reasoningTokens",
    "llm.token_count.completion_details.reasoning",
  );
  const normalized = normalizedAttributes(a);
  const rest = { ...a.rest(), ...normalized };
  if (eventsLeft.length > 0) rest["otel.events"] = eventsLeft;
  if (span.scope) rest["otel.scope"] = span.scope;
  rest.resource = span.resource;
  return {
    id: span.spanId,
    parent_id: span.parentSpanId,
    name: span.name,
    kind,
    started_at: span.startMs,
    ended_at: span.endMs !== null && span.endMs >= span.startMs ? span.endMs : null,
    model,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    reasoning_tokens: reasoning,
    ttft_ms: Number.isFinite(ttft) && ttft >= 0 ? Math.round(ttft) : null,
    input,
    output,
    status: span.statusCode === 2 ? "error" : span.statusCode === 1 ? "ok" : "unset",
    error,
    attributes: rest,
  };
}

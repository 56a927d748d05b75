/**
 * A trace as a task, recomputed from every stored step of the trace each time some of it arrives, so that the
 * result does not depend on how the spans and log records were split into requests or in which order they came.
 * The mapping is the table "OTLP to tasks" of the collector's README.
 */
import type { ChatMessage, StoredStep } from "../steps/index.js";
import type { IngestEvent } from "../store/types.js";
import { textOf } from "./messages.js";

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const SESSION_KEYS = [
  "gen_ai.conversation.id",
  "session.id",
  "ai.telemetry.metadata.sessionId",
  "ai.telemetry.metadata.session_id",
  "ai.telemetry.metadata.conversationId",
  "traceloop.association.properties.session_id",
];
const USER_KEYS = [
  "user.id",
  "enduser.id",
  "ai.telemetry.metadata.userId",
  "ai.telemetry.metadata.user_id",
  "traceloop.association.properties.user_id",
];
const VERSION_KEYS = [
  "version_id",
  "phospho.version_id",
  "ai.telemetry.metadata.version_id",
  "ai.telemetry.metadata.versionId",
];
const ENVIRONMENT_KEYS = ["environment", "phospho.environment", "ai.telemetry.metadata.environment"];
const TELEMETRY_METADATA = "ai.telemetry.metadata.";

function messagesOf(value: unknown): ChatMessage[] {
  return Array.isArray(value)
    ? value.filter((m): m is ChatMessage => isObj(m) && typeof m.role === "string")
    : [];
}

/** The first value of `keys` on any step (root first), span attributes before resource attributes. */
function lookup(steps: StoredStep[], keys: string[]): string | null {
  for (const key of keys) {
    for (const step of steps) {
      const resource = isObj(step.attributes.resource) ? step.attributes.resource : {};
      const value = step.attributes[key] ?? resource[key];
      if (typeof value === "string" && value !== "") return value;
      if (typeof value === "number") return String(value);
    }
  }
  return null;
}

function sum(steps: StoredStep[], field: keyof StoredStep): number | null {
  let total: number | null = null;
  for (const step of steps) {
    const value = step[field];
    if (typeof value === "number") total = (total ?? 0) + value;
  }
  return total;
}

function rootOf(spans: StoredStep[]): StoredStep | null {
  const ids = new Set(spans.map((step) => step.id));
  return (
    spans.find((step) => step.parent_id === null) ??
    spans.find((step) => !ids.has(step.parent_id ?? "")) ??
    spans[0] ??
    null
  );
}

function contentText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const messages = messagesOf(value);
  if (messages.length > 0) return textOf(messages);
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function deriveTask(taskId: string, traceId: string, rows: StoredStep[], now: number): IngestEvent {
  const spans = rows.filter((row) => row.has_span);
  const ordered = [...spans].sort(
    (a, b) => a.started_at - b.started_at || (a.ended_at ?? a.started_at) - (b.ended_at ?? b.started_at),
  );
  const root = rootOf(ordered);
  const llmSpans = ordered.filter((step) => step.kind === "llm");
  // Content that came as log records before its span counts as a call of its own until the span arrives.
  const calls = [...llmSpans, ...rows.filter((row) => !row.has_span)].filter(
    (step) => step.input !== null || step.output !== null || step.kind === "llm",
  );
  const first = calls[0];
  const last = [...calls].reverse().find((step) => step.output !== null) ?? calls.at(-1);
  const firstInput = messagesOf(first?.input);
  const lastInput = messagesOf(last?.input);
  const lastOutput = messagesOf(last?.output);

  const firstUser = firstInput.find((m) => m.role === "user");
  const input =
    (firstUser ? textOf([firstUser]) : null) ||
    contentText(root?.input) ||
    contentText(first?.input) ||
    root?.name ||
    "";
  const finalAssistant = [...lastOutput].reverse().find((m) => m.role === "assistant") ?? lastOutput.at(-1);
  const output =
    (finalAssistant ? textOf([finalAssistant]) : null) ||
    contentText(root?.output) ||
    contentText(last?.output);
  const system = calls.flatMap((step) => messagesOf(step.input)).find((m) => m.role === "system");

  const lookupOrder = root ? [root, ...ordered.filter((step) => step !== root)] : ordered;
  const metadata: Obj = {};
  for (const step of lookupOrder) {
    for (const [key, value] of Object.entries(step.attributes)) {
      if (key.startsWith(TELEMETRY_METADATA) && !(key.slice(TELEMETRY_METADATA.length) in metadata)) {
        metadata[key.slice(TELEMETRY_METADATA.length)] = value;
      }
    }
  }
  const start = root?.started_at ?? ordered[0]?.started_at ?? now;
  const ends = ordered.map((step) => step.ended_at ?? step.started_at);
  const end = root?.ended_at ?? (ends.length > 0 ? Math.max(...ends) : null);
  const cost = spans
    .map((step) => step.attributes["gen_ai.usage.cost"])
    .filter((value) => (typeof value === "number" || typeof value === "string") && value !== "")
    .map(Number)
    .filter((value) => Number.isFinite(value) && value >= 0);
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined) metadata[key] = value;
  };
  set("source", "otlp");
  set("trace_id", traceId);
  set("model", [...llmSpans].reverse().find((step) => step.model)?.model ?? root?.model ?? null);
  set("system_prompt", system?.content ?? null);
  set("prompt_tokens", sum(llmSpans, "prompt_tokens"));
  set("completion_tokens", sum(llmSpans, "completion_tokens"));
  set("total_tokens", sum(llmSpans, "total_tokens"));
  set("cache_read_tokens", sum(llmSpans, "cache_read_tokens"));
  set("cache_write_tokens", sum(llmSpans, "cache_write_tokens"));
  set("reasoning_tokens", sum(llmSpans, "reasoning_tokens"));
  set("ttft_ms", sum(llmSpans, "ttft_ms"));
  set("latency_ms", end !== null && end >= start ? end - start : null);
  set("stream_status", root ? (root.status === "error" ? "error" : "completed") : null);
  set("error", root?.error ?? null);
  set("user_id", lookup(lookupOrder, USER_KEYS));
  set("version_id", lookup(lookupOrder, VERSION_KEYS) ?? lookup(lookupOrder, ["service.version"]));
  set(
    "environment",
    lookup(lookupOrder, ENVIRONMENT_KEYS) ??
      lookup(lookupOrder, ["deployment.environment.name", "deployment.environment"]),
  );
  set("service_name", lookup(lookupOrder, ["service.name"]));
  // Of the LLM calls, as `model` is: the last one that says.
  const calling = [...llmSpans].reverse();
  set("provider", lookup(calling, ["gen_ai.provider.name"]) ?? lookup(lookupOrder, ["gen_ai.provider.name"]));
  const at = calling.find((step) => typeof step.attributes["server.address"] === "string");
  if (at) {
    const port = at.attributes["server.port"];
    set(
      "server_address",
      `${String(at.attributes["server.address"])}${port === undefined ? "" : `:${String(port)}`}`,
    );
  }
  const reasons = (last?.has_span ? [last] : [])
    .concat(calling)
    .map((step) => step.attributes["gen_ai.response.finish_reasons"])
    .find(Array.isArray);
  set("finish_reason", reasons && reasons.length > 0 ? reasons.join(", ") : null);
  set("cost_usd", cost.length > 0 ? cost.reduce((a, b) => a + b, 0) : null);

  return {
    task_id: taskId,
    session_id: lookup(lookupOrder, SESSION_KEYS),
    input,
    output: output || null,
    created_at: start,
    order: now,
    raw_input: lastInput.length > 0 ? JSON.stringify({ messages: lastInput }) : null,
    raw_output: lastOutput.length > 0 ? JSON.stringify({ messages: lastOutput }) : null,
    raw_input_type_name: lastInput.length > 0 ? "otlp.gen_ai.messages" : null,
    raw_output_type_name: lastOutput.length > 0 ? "otlp.gen_ai.messages" : null,
    metadata,
    flag: null,
  };
}

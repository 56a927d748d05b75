/**
 * The indexed columns copied out of a task's metadata. They are always recomputed from the merged metadata, so a
 * column can never disagree with the metadata it came from.
 */
import type { TasksTable } from "./schema.js";

export const DEFAULT_ENVIRONMENT = "default environment";

export type DerivedColumns = Pick<
  TasksTable,
  | "user_id"
  | "version_id"
  | "model"
  | "system_prompt"
  | "environment"
  | "test_id"
  | "step_id"
  | "status"
  | "prompt_tokens"
  | "completion_tokens"
  | "total_tokens"
  | "latency_ms"
  | "ttft_ms"
  | "cache_read_tokens"
  | "cache_write_tokens"
  | "reasoning_tokens"
>;

function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function count(value: unknown): number | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return null;
  return Math.min(Math.round(value), Number.MAX_SAFE_INTEGER);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function deriveColumns(metadata: Record<string, unknown>): DerivedColumns {
  const usage = record(metadata.usage);
  const prompt = count(metadata.prompt_tokens) ?? count(usage.prompt_tokens) ?? count(usage.input_tokens);
  const completion =
    count(metadata.completion_tokens) ?? count(usage.completion_tokens) ?? count(usage.output_tokens);
  const total =
    count(metadata.total_tokens) ??
    count(usage.total_tokens) ??
    (prompt !== null || completion !== null ? (prompt ?? 0) + (completion ?? 0) : null);
  return {
    user_id: text(metadata.user_id),
    version_id: text(metadata.version_id),
    model: text(metadata.model),
    system_prompt: text(metadata.system_prompt),
    environment: text(metadata.environment) ?? DEFAULT_ENVIRONMENT,
    test_id: text(metadata.test_id),
    step_id: text(metadata.step_id),
    status: text(metadata.stream_status),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    latency_ms: count(metadata.latency_ms),
    ttft_ms: count(metadata.time_to_first_token_ms) ?? count(metadata.ttft_ms),
    ...cacheAndReasoning(metadata, usage),
  };
}

/**
 * Cache and reasoning tokens, flat (what the SDK sends) or in a provider's usage object: OpenAI chat
 * (`prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`), OpenAI responses
 * (`input_tokens_details`, `output_tokens_details`) and Anthropic (`cache_read_input_tokens`,
 * `cache_creation_input_tokens`).
 */
function cacheAndReasoning(
  metadata: Record<string, unknown>,
  usage: Record<string, unknown>,
): Pick<DerivedColumns, "cache_read_tokens" | "cache_write_tokens" | "reasoning_tokens"> {
  const promptDetails = record(usage.prompt_tokens_details ?? usage.input_tokens_details);
  const completionDetails = record(usage.completion_tokens_details ?? usage.output_tokens_details);
  return {
    cache_read_tokens:
      count(metadata.cache_read_tokens) ??
      count(usage.cache_read_input_tokens) ??
      count(promptDetails.cached_tokens),
    cache_write_tokens: count(metadata.cache_write_tokens) ?? count(usage.cache_creation_input_tokens),
    reasoning_tokens: count(metadata.reasoning_tokens) ?? count(completionDetails.reasoning_tokens),
  };
}

/** A stored JSON text as its value; text that is not JSON comes back as it is, and null as null. */
export function parseJson(textValue: string | null): unknown {
  if (textValue === null) return null;
  try {
    return JSON.parse(textValue);
  } catch {
    return textValue;
  }
}

export function parseObject(textValue: string | null): Record<string, unknown> {
  if (!textValue) return {};
  try {
    return record(JSON.parse(textValue));
  } catch {
    return {};
  }
}

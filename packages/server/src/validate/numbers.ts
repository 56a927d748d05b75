/**
 * Numbers against the ranges their columns and sums can hold. A `last_update` of 2^63 ms, or token counts near
 * 2^53, pass JSON and zod but overflow a BIGINT column on PostgreSQL or a 64-bit SUM on SQLite, failing a whole
 * batch or every later overview. Each bound is generous for real traffic and documented in the package README;
 * past it the event gets an `error_in_log` naming the field, and the rest of the batch is stored.
 */

/** The latest time accepted, in ms: 9999-12-31T23:59:59.999Z. */
export const MAX_TIME_MS = 253_402_300_799_999;
/** Most tokens one task may report in any token field (a billion). */
export const MAX_TOKENS = 1_000_000_000;
/** Longest latency or time to first token, in ms (about 115 days). */
export const MAX_DURATION_MS = 10_000_000_000;
/** Most top-level metadata keys per task, and the longest key. */
export const MAX_METADATA_KEYS = 512;
export const MAX_METADATA_KEY_CHARS = 256;

const TOKEN_FIELDS = [
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
];
const USAGE_TOKEN_FIELDS = [
  ...TOKEN_FIELDS,
  "input_tokens",
  "output_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
];
const DETAIL_FIELDS = ["cached_tokens", "reasoning_tokens"];
const DURATION_FIELDS = ["latency_ms", "time_to_first_token_ms", "ttft_ms"];

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function over(value: unknown, max: number): boolean {
  return typeof value === "number" && value > max;
}

/** The first out-of-range number of a task's metadata as `field: rule`, or null. */
export function metadataRangeIssue(metadata: Record<string, unknown>, prefix = "metadata"): string | null {
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS) {
    return `${prefix}: ${keys.length} keys is over the limit of ${MAX_METADATA_KEYS}`;
  }
  const long = keys.find((key) => key.length > MAX_METADATA_KEY_CHARS);
  if (long !== undefined) {
    return `${prefix}: key "${long.slice(0, 40)}…" is longer than ${MAX_METADATA_KEY_CHARS} characters`;
  }
  for (const field of TOKEN_FIELDS) {
    if (over(metadata[field], MAX_TOKENS)) return `${prefix}.${field}: must be at most ${MAX_TOKENS}`;
  }
  for (const field of DURATION_FIELDS) {
    if (over(metadata[field], MAX_DURATION_MS))
      return `${prefix}.${field}: must be at most ${MAX_DURATION_MS} ms`;
  }
  const usage = record(metadata.usage);
  if (usage) {
    for (const field of USAGE_TOKEN_FIELDS) {
      if (over(usage[field], MAX_TOKENS)) return `${prefix}.usage.${field}: must be at most ${MAX_TOKENS}`;
    }
    for (const details of [
      "prompt_tokens_details",
      "input_tokens_details",
      "completion_tokens_details",
      "output_tokens_details",
    ]) {
      const inner = record(usage[details]);
      for (const field of DETAIL_FIELDS) {
        if (inner && over(inner[field], MAX_TOKENS)) {
          return `${prefix}.usage.${details}.${field}: must be at most ${MAX_TOKENS}`;
        }
      }
    }
  }
  return null;
}

/** `last_update` in seconds or ms, at most year 9999. */
export function timeRangeIssue(field: string, value: number | null | undefined): string | null {
  if (value == null) return null;
  const ms = value < 1e11 ? value * 1000 : value;
  return ms > MAX_TIME_MS ? `${field}: must be a time before the year 10000 (unix seconds or ms)` : null;
}

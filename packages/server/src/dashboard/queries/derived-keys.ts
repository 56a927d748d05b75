/**
 * Metadata keys that phospho itself reads (the SDK's flat fields and the columns `store/derive.ts` copies out of
 * metadata). They are stored in the metadata with the user's own keys; the dashboard shows them as task fields
 * and keeps them out of the metadata table, the metadata suggestions and the CSV `metadata` column.
 */
export const DERIVED_KEYS: ReadonlySet<string> = new Set([
  "user_id",
  "version_id",
  "model",
  "system_prompt",
  "environment",
  "test_id",
  "step_id",
  "stream_status",
  "usage",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "latency_ms",
  "time_to_first_token_ms",
  "ttft_ms",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  // Read from OTLP GenAI attributes (and `provider` from the SDK's client wrappers).
  "provider",
  "server_address",
  "finish_reason",
]);

/** The metadata split into the user's own keys and the ones phospho derives fields from. */
export function splitMetadata(metadata: Record<string, unknown>): {
  user: Record<string, unknown>;
  derived: Record<string, unknown>;
} {
  const user: Record<string, unknown> = {};
  const derived: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) (DERIVED_KEYS.has(key) ? derived : user)[key] = value;
  return { user, derived };
}

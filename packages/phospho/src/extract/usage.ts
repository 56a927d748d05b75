// Token usage, from `prompt_tokens/completion_tokens/total_tokens` (OpenAI chat) or
// `input_tokens/output_tokens` (Anthropic, OpenAI Responses), into the flat form the collector indexes.

import { DETAIL_TOKENS, type Usage, type UsageLike } from "./types.js";

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function normaliseUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const u = raw as UsageLike;
  const prompt = count(u.prompt_tokens) ?? count(u.input_tokens);
  const completion = count(u.completion_tokens) ?? count(u.output_tokens);
  let total = count(u.total_tokens);
  if (total === undefined && (prompt !== undefined || completion !== undefined)) {
    total = (prompt ?? 0) + (completion ?? 0);
  }
  if (prompt === undefined && completion === undefined && total === undefined) return undefined;
  const usage: Usage = {};
  if (prompt !== undefined) usage.prompt_tokens = prompt;
  if (completion !== undefined) usage.completion_tokens = completion;
  if (total !== undefined) usage.total_tokens = total;
  // Cache and reasoning tokens: parts of the prompt and completion counts, not additions.
  const cacheRead =
    count(u.prompt_tokens_details?.cached_tokens) ??
    count(u.input_tokens_details?.cached_tokens) ??
    count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  const reasoning =
    count(u.completion_tokens_details?.reasoning_tokens) ?? count(u.output_tokens_details?.reasoning_tokens);
  if (cacheRead !== undefined) usage.cache_read_tokens = cacheRead;
  if (cacheWrite !== undefined) usage.cache_write_tokens = cacheWrite;
  if (reasoning !== undefined) usage.reasoning_tokens = reasoning;
  return usage;
}

/** Adds counts seen in several stream chunks (Anthropic sends input and output tokens in separate events). */
export function mergeUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  const merged: Usage = { ...a };
  if (b.prompt_tokens !== undefined) merged.prompt_tokens = b.prompt_tokens;
  if (b.completion_tokens !== undefined) merged.completion_tokens = b.completion_tokens;
  merged.total_tokens = (merged.prompt_tokens ?? 0) + (merged.completion_tokens ?? 0);
  if (b.total_tokens !== undefined && b.total_tokens > merged.total_tokens)
    merged.total_tokens = b.total_tokens;
  for (const key of DETAIL_TOKENS) if (b[key] !== undefined) merged[key] = b[key];
  return merged;
}

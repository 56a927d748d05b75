// Token usage, from `prompt_tokens/completion_tokens/total_tokens` (OpenAI chat) or
// `input_tokens/output_tokens` (Anthropic, OpenAI Responses), into the flat form the collector indexes.

import type { Usage, UsageLike } from "./types.js";

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
  if (total === undefined) return undefined;
  // Only the counts found are set. Cache and reasoning tokens: parts of the prompt and completion counts.
  const usage: Record<string, number | undefined> = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    cache_read_tokens:
      count(u.prompt_tokens_details?.cached_tokens) ??
      count(u.input_tokens_details?.cached_tokens) ??
      count(u.cache_read_input_tokens),
    cache_write_tokens: count(u.cache_creation_input_tokens),
    reasoning_tokens:
      count(u.completion_tokens_details?.reasoning_tokens) ??
      count(u.output_tokens_details?.reasoning_tokens),
  };
  const found: Usage = {};
  for (const key in usage) if (usage[key] !== undefined) found[key as keyof Usage] = usage[key];
  return found;
}

/** Adds counts seen in several stream chunks (Anthropic sends input and output tokens in separate events). */
export function mergeUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  // A `Usage` holds only the counts it has: the later chunk's counts win, the total is recomputed.
  const merged: Usage = { ...a, ...b };
  merged.total_tokens = Math.max(
    (merged.prompt_tokens ?? 0) + (merged.completion_tokens ?? 0),
    b.total_tokens ?? 0,
  );
  return merged;
}

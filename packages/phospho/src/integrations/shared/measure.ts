// What a wrapper measured about one call, in the collector's flat field names (docs/ARCHITECTURE.md, "Contracts
// of the next stage"), and the single place where it becomes a `log()` call.

import { type LogParams, phospho, type StreamStatus } from "./core.js";
import type { PhosphoLike } from "./options.js";

export interface Tokens {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** Parts of `prompt_tokens` read from, or written to, the provider's prompt cache. */
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  /** Part of `completion_tokens` spent reasoning. */
  reasoning_tokens?: number;
}

/** The outcome of a call, as the provider adapter reads it from a response or from stream chunks. */
export interface Summary {
  /** Logged as `raw_output`: the provider's own response object (rebuilt from the chunks for a stream). */
  output: unknown;
  /** Logged as the task's output text: the text, then one `name(arguments)` line per tool call. */
  text: string | null;
  model?: string | undefined;
  tokens: Tokens;
}

export interface Measured {
  provider: string;
  /** Milliseconds from the call to its end (last chunk for a stream). */
  latencyMs: number;
  /** Milliseconds from the call to the first generated token; streams only. */
  ttftMs?: number | undefined;
  status: StreamStatus;
  error?: unknown;
}

const clock = globalThis.performance;

export function now(): number {
  return clock ? clock.now() : Date.now();
}

export function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Sets the defined counts only (`exactOptionalPropertyTypes`), with a total when the provider gave none. */
export function tokens(parts: Record<keyof Tokens, unknown>): Tokens {
  const out: Tokens = {};
  for (const key of Object.keys(parts) as Array<keyof Tokens>) {
    const value = count(parts[key]);
    if (value !== undefined) out[key] = value;
  }
  if (
    out.total_tokens === undefined &&
    (out.prompt_tokens !== undefined || out.completion_tokens !== undefined)
  ) {
    out.total_tokens = (out.prompt_tokens ?? 0) + (out.completion_tokens ?? 0);
  }
  return out;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && /abort/i.test(name);
}

/** One task for one call. Never throws: telemetry must not break the caller. */
export function record(
  client: PhosphoLike | undefined,
  fields: Partial<LogParams>,
  input: unknown,
  summary: Summary | undefined,
  measured: Measured,
): void {
  try {
    const params: LogParams = { ...fields, input, output: summary?.output ?? null };
    if (summary) {
      const text = summary.text;
      if (text !== null) params.outputToStrFunction = () => text;
      if (summary.model !== undefined) params.model = summary.model;
      Object.assign(params, summary.tokens);
    }
    params.provider = measured.provider;
    params.latency_ms = Math.round(measured.latencyMs);
    if (measured.ttftMs !== undefined) params.time_to_first_token_ms = Math.round(measured.ttftMs);
    params.stream_status = measured.status;
    if (measured.error !== undefined) params.error = errorMessage(measured.error);
    void (client ?? phospho).log(params);
  } catch {
    // Logging must never break the call it observes.
  }
}

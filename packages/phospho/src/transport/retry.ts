// The retry policy, as a pure function of the outcome and the attempt number. Time and randomness are
// parameters so tests pass values instead of sleeping.

/** Named as the options are, so that a resolved config is a policy. */
export interface RetryPolicy {
  maxRetries: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

export interface Outcome {
  /** HTTP status, or `undefined` for a network error or timeout. */
  status?: number | undefined;
  /** The `Retry-After` header: seconds or an HTTP date. */
  retryAfter?: string | null | undefined;
  /** The `retry-after-ms` header (milliseconds), preferred when present. */
  retryAfterMs?: string | null | undefined;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Milliseconds asked for by a `Retry-After` header, or `undefined` when absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * `attempt` counts the attempts already made (1 after the first request). Exponential backoff with full
 * jitter on the upper half: delay in [base/2, base], base = initial × 2^(attempt-1), capped.
 */
export function decideRetry(
  outcome: Outcome,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): RetryDecision {
  if (attempt > policy.maxRetries) return { retry: false };
  if (outcome.status !== undefined && !isRetryableStatus(outcome.status)) return { retry: false };
  const askedMs = outcome.retryAfterMs ? Number(outcome.retryAfterMs) : NaN;
  const asked = askedMs >= 0 ? askedMs : parseRetryAfter(outcome.retryAfter, now);
  if (asked !== undefined && Number.isFinite(asked)) {
    return { retry: true, delayMs: Math.min(asked, policy.retryMaxDelayMs) };
  }
  const base = Math.min(policy.retryInitialDelayMs * 2 ** (attempt - 1), policy.retryMaxDelayMs);
  return { retry: true, delayMs: Math.round(base / 2 + (random() * base) / 2) };
}

/** Retry timing, a pure function of the attempt (and the error's own hint, such as a 429's Retry-After). */
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Delay before attempt `attempt + 1`, after `attempt` failures: `base * 2^(attempt-1)`, ±20 % jitter, capped at
 * five minutes. A `retryAfterMs` from the failure wins when it is longer.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_BACKOFF_MS)));
}

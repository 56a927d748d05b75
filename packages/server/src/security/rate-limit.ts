/**
 * A fixed-window counter per key (a client address, a project id): at most `limit` hits per `windowMs`. Memory is
 * bounded: past `maxKeys` tracked keys, the oldest windows are dropped (a dropped key simply starts afresh).
 * Per process: behind several replicas each one counts on its own, so the effective limit is multiplied.
 */
export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the window of this key ends (for `Retry-After`). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; hits: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one hit for `key`; `limit <= 0` means unlimited. */
  hit(key: string, now = Date.now()): RateLimitVerdict {
    if (this.limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.delete(key);
      window = { start: now, hits: 0 };
      this.windows.set(key, window);
      this.evict();
    }
    window.hits += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return { allowed: window.hits <= this.limit, retryAfterSeconds };
  }

  private evict(): void {
    // A Map iterates in insertion order, and a renewed window is re-inserted: the first keys are the oldest.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) return;
      this.windows.delete(key);
    }
  }
}

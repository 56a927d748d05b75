/** A token bucket: at most `perSecond` acquisitions per second on average, bursts up to one second's worth. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = Math.max(1, perSecond);
    this.last = now();
  }

  /** Resolves when a request may go; callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.take());
    this.chain = turn;
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(
        Math.max(1, this.perSecond),
        this.tokens + ((now - this.last) / 1000) * this.perSecond,
      );
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = ((1 - this.tokens) / this.perSecond) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitMs)));
    }
  }
}

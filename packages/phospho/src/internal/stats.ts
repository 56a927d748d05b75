// Counters behind `phospho.stats()`.

import type { PhosphoStats } from "../types.js";

export class StatsCounter {
  logged = 0;
  sent = 0;
  retried = 0;
  spooled = 0;
  redelivered = 0;
  feedbackSent = 0;
  feedbackDropped = 0;
  readonly dropped: Record<string, number> = {};

  drop(reason: string, count: number): void {
    if (count <= 0) return;
    this.dropped[reason] = (this.dropped[reason] ?? 0) + count;
  }

  get droppedTotal(): number {
    return Object.values(this.dropped).reduce((total, n) => total + n, 0);
  }

  /** A copy: every counter above (own fields, so none is forgotten), the queue length and the total drops. */
  snapshot(queued: number): PhosphoStats {
    return { ...this, queued, dropped: { ...this.dropped }, droppedTotal: this.droppedTotal };
  }
}

/**
 * Back-pressure per project: the spans and log records a project has sent that are not committed yet. Past the
 * bound, that project's next exports get 429 with Retry-After (OTLP/HTTP's "retry later"), so a flood from one
 * project waits in its own exporter's queue instead of in the collector's memory, and other projects keep their
 * turn in the fair write queue. Per process, as every limit of the collector.
 */
export class Backlog {
  private readonly pending = new Map<string, number>();

  /** `limit <= 0`: no bound. */
  constructor(readonly limit: number) {}

  /** Items of `projectId` waiting for their commit. */
  of(projectId: string): number {
    return this.pending.get(projectId) ?? 0;
  }

  /** True when the project's backlog is already at the bound: nothing more is worth reading from it. */
  full(projectId: string): boolean {
    return this.limit > 0 && this.of(projectId) >= this.limit;
  }

  /**
   * Counts `items` as waiting, or returns null when they do not fit. A request alone always fits (the body limit
   * bounds it), so a batch larger than the bound is still taken when nothing else of its project waits.
   */
  admit(projectId: string, items: number): (() => void) | null {
    const before = this.of(projectId);
    if (this.limit > 0 && before > 0 && before + items > this.limit) return null;
    this.pending.set(projectId, before + items);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.of(projectId) - items;
      if (left <= 0) this.pending.delete(projectId);
      else this.pending.set(projectId, left);
    };
  }
}

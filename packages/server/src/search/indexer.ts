/**
 * The background search indexer (SQLite): drains `search_pending` into the full-text index through the store's
 * single writer, in transactions sized to about `targetMs` each, so that ingest waits at most that long behind
 * it. With a backlog it runs step after step (yielding to the write queue between steps); idle, it looks for
 * work every `pollMs`. It keeps no state of its own: the log is durable, so a killed collector's successor
 * simply carries on. PostgreSQL indexes at commit (GIN), so there the indexer does nothing and reports no lag.
 */
import type { KyselyStore } from "../store/kysely-store.js";
import { anyPending, indexPending, readLag, type SearchLag, type StepResult } from "./batch.js";

export interface SearchIndexerOptions {
  /** Longest wait between two looks at the log while it is empty, ms. Default 250. */
  pollMs?: number;
  /**
   * Aimed length of one indexing transaction, ms. Default 50: ingest waits at most about that behind a step, and
   * smaller steps cost more in all (each commit writes an FTS5 segment, and many small segments are merged again:
   * 20 ms steps cost 2.8 times the CPU per task of 100 ms steps, bench/search-commit.ts).
   */
  targetMs?: number;
  /** Least time between two lag measurements (a count of the whole log), ms. Default 1,000. */
  measureMs?: number;
  /** Told of a step that failed (it is tried again at the next poll). Default: nothing. */
  onError?: (error: unknown) => void;
}

/** The lag as `/health` reports it. */
export interface SearchHealth {
  /** Task writes not yet in the full-text index (still found, by a scan of these rows). */
  pending: number;
  /** Age of the oldest of them, ms; 0 when none waits. */
  lag_ms: number;
}

/** Most tasks per step (deletions hold no text, so bytes alone would not bound them). */
const MAX_ROWS = 4_096;
/** Bounds of the text per step, bytes; it starts at 256 KiB and follows the measured speed. */
const MIN_BYTES = 131_072;
const MAX_BYTES = 16_777_216;

export class SearchIndexer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private bytes = 262_144;
  private lag: SearchLag = { pending: 0, oldestAt: null };
  private measuredAt = 0;
  private readonly pollMs: number;
  private readonly targetMs: number;
  private readonly measureMs: number;

  constructor(
    private readonly store: KyselyStore,
    private readonly options: SearchIndexerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.targetMs = options.targetMs ?? 50;
    this.measureMs = options.measureMs ?? 1_000;
  }

  start(): this {
    if (this.store.dialect !== "sqlite" || !this.stopped) return this;
    this.stopped = false;
    this.schedule(0);
    return this;
  }

  /** Stops after the step in flight, if any; the log keeps what is left for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** The lag as last measured (at most `measureMs` old while there is a backlog). */
  health(now = Date.now()): SearchHealth {
    const { pending, oldestAt } = this.lag;
    return { pending, lag_ms: oldestAt === null ? 0 : Math.max(0, now - oldestAt) };
  }

  /** Indexes until nothing is pending (tests, and tools that want a complete index now). */
  async drain(): Promise<void> {
    if (this.store.dialect !== "sqlite") return;
    while ((await this.step()).rows > 0);
    await this.measure(true);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => (this.running = null));
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let next = this.pollMs;
    try {
      // Idle: one index probe on the collector's connection, no write transaction.
      const step = (await anyPending(this.store.db)) && !this.store.readOnly() ? await this.step() : null;
      await this.measure(!step?.full);
      // More waiting: the next step right after the ingest queued meanwhile (the write queue is fair).
      if (step?.full) next = 0;
    } catch (error) {
      this.options.onError?.(error);
    }
    this.schedule(next);
  }

  /** One indexing transaction, its size in bytes of text adapted so that it lasts about `targetMs`. */
  private async step(): Promise<StepResult> {
    const maxBytes = this.bytes;
    let elapsed = 0;
    const result = await this.store.queue.run(
      async (trx) => {
        // Timed inside the transaction: waiting for ingest's turn says nothing of the step's own cost.
        const started = performance.now();
        const done = await indexPending(trx, MAX_ROWS, maxBytes);
        elapsed = performance.now() - started;
        return done;
      },
      1,
      "search-indexer",
    );
    if (result.full && result.bytes > 0) {
      const scaled = Math.round((result.bytes * this.targetMs) / Math.max(elapsed, 1));
      // At most halved or doubled per step: one step slowed by a busy machine must not shrink the next ten-fold.
      this.bytes = Math.min(MAX_BYTES, Math.max(MIN_BYTES, maxBytes / 2, Math.min(scaled, maxBytes * 2)));
    }
    return result;
  }

  /** Measures the lag now (`health()` then reports it). */
  refresh(): Promise<void> {
    return this.measure(true);
  }

  private async measure(force: boolean, now = Date.now()): Promise<void> {
    if (this.store.dialect !== "sqlite") return;
    if (!force && now - this.measuredAt < this.measureMs) return;
    this.lag = await readLag(this.store.db);
    this.measuredAt = now;
  }
}

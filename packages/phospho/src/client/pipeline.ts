// One configured delivery pipeline: queue → batches → transport, on an interval, single-flight. `init()`
// makes a new one; the old one is closed (its timer stopped, its queue flushed) so nothing is sent twice.

import type { ResolvedConfig } from "../config/options.js";
import { PhosphoDeliveryError, type PhosphoError } from "../errors.js";
import type { StatsCounter } from "../internal/stats.js";
import { settlesWithin, unrefTimer } from "../internal/timers.js";
import { takeWork, type Work } from "../queue/batch.js";
import type { EventItem, FeedbackItem } from "../queue/items.js";
import { fitKeepalive } from "../queue/keepalive.js";
import { mergeEvents } from "../queue/merge.js";
import { BoundedQueue } from "../queue/queue.js";
import { nodeFeatures, type Durable } from "../platform/features.js";
import { deliverEvents, type DeliveryContext } from "../transport/deliver-events.js";
import { deliverFeedback, type FeedbackResult } from "../transport/deliver-feedback.js";
import { createFetchSender } from "../transport/sender.js";
import type { LogEvent } from "../types.js";

export class Pipeline {
  readonly config: ResolvedConfig;
  readonly #stats: StatsCounter;
  readonly #report: (error: PhosphoError) => void;
  readonly #queue: BoundedQueue;
  readonly #delivery: DeliveryContext;
  /** The spool (`spoolDir`, Node entry only). */
  readonly #durable: Durable | undefined;
  readonly #timer: ReturnType<typeof setInterval>;
  #draining: Promise<void> | undefined;
  #seq = 0;
  /** Events given up by the transport (not rejected by the collector); makes `flush()` resolve `false`. */
  #failures = 0;
  #closed: Promise<boolean> | undefined;
  #overflowUnreported = 0;
  /** The events of the request being sent now: a page that goes away sends them again with keepalive. */
  #inFlight: EventItem[] = [];
  /** Batches sent by `sendNow()`, outside the drain. */
  #direct = new Set<Promise<void>>();
  #overflowReportedAt = -Infinity;

  constructor(config: ResolvedConfig, stats: StatsCounter, report: (error: PhosphoError) => void) {
    this.config = config;
    this.#stats = stats;
    this.#report = report;
    this.#queue = new BoundedQueue(config);
    // The config gives the collector's address, the key and the retry policy.
    this.#delivery = {
      ...config,
      send: createFetchSender(config.fetch, config.requestTimeoutMs),
      onRetry: () => stats.retried++,
      stats,
      report,
      authState: { reported: false },
    };
    // Without the Node entry (a browser or edge build) there is no file system: `init()` reports it.
    this.#durable = config.spoolDir
      ? nodeFeatures()?.durable(config, stats, report, {
          queue: this.#queue,
          enqueue: (event, size, origin) => this.#push({ size, event, origin }),
          loaded: () => void this.drain(),
        })
      : undefined;
    // What the spool holds (from this or an earlier process) is sent first.
    void this.#durable?.refill();
    this.#timer = unrefTimer(
      setInterval(() => {
        this.#reportOverflow();
        if (this.#queue.length > 0) void this.drain();
        else if (this.#draining === undefined) this.#durable?.probe();
      }, config.flushIntervalMs),
    );
  }

  /** Queues one event as a new item (a live log, or one read back from the spool with its `origin`). */
  #push(item: Omit<EventItem, "kind" | "seq">): void {
    this.#countOverflow(this.#queue.push({ kind: "event", seq: ++this.#seq, ...item }));
  }

  get queuedEvents(): number {
    return this.#queue.eventCount;
  }

  get hasWork(): boolean {
    return this.#queue.length > 0 || this.#draining !== undefined || this.#direct.size > 0;
  }

  /**
   * Queues an event, or merges it into the queued event of the same task (see `queue/merge.ts`). Returns the
   * event as queued, and whether it was merged (then it is not a new event for the counters).
   */
  enqueueEvent(
    event: LogEvent,
    size: number,
    mergeable = false,
    concatenateRaw = true,
  ): { event: LogEvent; merged: boolean } {
    const previous = mergeable ? this.#queue.queuedEvent(event.task_id) : undefined;
    if (previous) {
      previous.event = mergeEvents(previous.event, event, concatenateRaw, this.config.maxContentChars);
      this.#queue.resize(previous, previous.size + size);
      return { event: previous.event, merged: true };
    }
    this.#push(mergeable ? { size, event, mergeable } : { size, event });
    if (this.#queue.eventCount >= this.config.batchSize) void this.drain();
    return { event, merged: false };
  }

  /** The events waiting to be sent, oldest first (a copy of the list; the events themselves are shared). */
  queuedEventList(): LogEvent[] {
    return Array.from(this.#queue.events(), (item) => item.event);
  }

  /** Queues a feedback after everything queued before it; resolves once it is delivered or given up. */
  enqueueFeedback(taskId: string, body: Record<string, unknown>): Promise<FeedbackResult> {
    return new Promise((resolve) => {
      const dropped = this.#queue.push({
        kind: "feedback",
        seq: ++this.#seq,
        size: 200,
        taskId,
        body,
        done: resolve,
      });
      this.#countOverflow(dropped);
      void this.drain();
    });
  }

  #countOverflow(dropped: ReturnType<BoundedQueue["push"]>): void {
    if (dropped.length === 0) return;
    let events = 0;
    let handedBack = 0;
    for (const item of dropped) {
      if (item.kind === "event" && item.origin) {
        // An event re-read from the spool is still on disk: handed back, not lost.
        this.#durable?.finish(item, false);
        handedBack++;
      } else if (item.kind === "event") events++;
      else this.#dropFeedback(item);
    }
    this.#stats.drop("queue_full", events);
    this.#overflowUnreported += dropped.length - handedBack;
    // Counted every time, reported at most once per interval: under sustained overflow, building an Error
    // per log would make the hot path many times slower.
    if (Date.now() - this.#overflowReportedAt >= this.config.flushIntervalMs) this.#reportOverflow();
  }

  /** A feedback that will not be sent: counted, and its caller told. */
  #dropFeedback(item: FeedbackItem): void {
    this.#stats.feedbackDropped++;
    item.done?.({ ok: false });
  }

  #reportOverflow(): void {
    if (this.#overflowUnreported === 0) return;
    const count = this.#overflowUnreported;
    this.#overflowUnreported = 0;
    this.#overflowReportedAt = Date.now();
    this.#report(
      new PhosphoDeliveryError(
        "queue_full",
        count,
        `queue full (maxQueueEvents, maxQueueBytes): ${count} oldest item(s) dropped`,
      ),
    );
  }

  /** Sends until the queue is empty. Only one drain runs at a time; a second call joins the first. */
  drain(): Promise<void> {
    this.#draining ??= this.#drainLoop()
      // Never an unhandled rejection from a background drain.
      .catch((error: unknown) => this.#internalError(error))
      .finally(() => {
        this.#draining = undefined;
      });
    return this.#draining;
  }

  #internalError(error: unknown): void {
    this.#report(new PhosphoDeliveryError("internal_error", 0, `phospho internal error: ${String(error)}`));
  }

  #take(): Work | undefined {
    return takeWork(this.#queue, this.config.batchSize, this.config.maxBatchBytes);
  }

  async #drainLoop(): Promise<void> {
    for (let work; (work = this.#take());) await this.#deliver(work);
  }

  /**
   * Sends what is queued now, each batch in a request of its own, outside the single-flight drain. For
   * workers and edge functions: a request started while serving one incoming request may never settle once
   * that request has ended (workerd cancels its I/O), and a drain waiting on it would hold every later log.
   */
  sendNow(): void {
    for (let work; (work = this.#take());) {
      const sending = this.#deliver(work);
      this.#direct.add(sending);
      void sending.finally(() => this.#direct.delete(sending));
    }
  }

  async #deliver(work: Work): Promise<void> {
    try {
      if (work.kind === "feedback") {
        const result = await deliverFeedback(this.#delivery, work.item.taskId, work.item.body);
        work.item.done?.(result);
        const ok = result.ok;
        if (ok) this.#stats.feedbackSent++;
        else this.#stats.feedbackDropped++;
        if (ok) void this.#durable?.refill();
      } else {
        const failedBefore = this.#stats.droppedTotal - (this.#stats.dropped.rejected ?? 0);
        const sentBefore = this.#stats.sent;
        this.#inFlight = work.items;
        const undelivered = await deliverEvents(this.#delivery, work.items);
        this.#inFlight = [];
        const failedAfter = this.#stats.droppedTotal - (this.#stats.dropped.rejected ?? 0);
        this.#failures += failedAfter - failedBefore;
        this.#durable?.settle(work.items, undelivered);
        if (undelivered.length > 0) await this.#giveUp(undelivered, "retries_exhausted");
        // The collector answers again: bring back what the spool holds (no-op while a slice is in memory).
        if (this.#stats.sent > sentBefore) void this.#durable?.refill();
      }
    } catch (error) {
      // Should not happen (delivery returns data, not exceptions), but a bug must not wedge the queue.
      if (work.kind === "events") await this.#giveUp(work.items, "internal_error");
      else work.item.done?.({ ok: false });
      this.#internalError(error);
    }
  }

  /**
   * Events that cannot be delivered now: to the spool when there is one, else dropped and counted. Events
   * re-read from the spool are not written again: their file is still there (see `spool/redelivery.ts`).
   */
  async #giveUp(items: EventItem[], reason: string): Promise<void> {
    const fresh = items.filter((item) => !item.origin);
    for (const item of items) if (item.origin) this.#durable?.finish(item, false);
    this.#failures += fresh.length;
    if (this.#durable) await this.#durable.keep(fresh, reason);
    else this.#stats.drop(reason, fresh.length);
  }

  /**
   * The page is being hidden (`final` false: it may come back) or left (`final` true). What is queued or in
   * flight is sent at once with `keepalive`, as much as fits its 64 kB budget (the in-flight request would be
   * cancelled with the page; sending it again is harmless, the collector upserts by task id). When the page
   * is left, what cannot fit is counted as dropped (`page_exit`) and reported; when it is only hidden, it
   * stays queued.
   */
  sendOnPageExit(final: boolean): void {
    const queued = this.#queue.drain();
    // Only a page that is left cancels the request in flight; a hidden page keeps it going.
    const inFlight = new Set(final ? this.#inFlight : []);
    const { fits, rest, tooLarge } = fitKeepalive([
      ...inFlight,
      ...queued.filter((item): item is EventItem => item.kind === "event"),
    ]);
    const keep = [...rest, ...tooLarge].filter((item) => !inFlight.has(item));
    if (final && keep.length > 0) {
      this.#stats.drop("page_exit", keep.length);
      this.#report(
        new PhosphoDeliveryError(
          "page_exit",
          keep.length,
          `page left: ${keep.length} event(s) over the 64 kB keepalive limit dropped`,
        ),
      );
    } else for (const item of keep) this.#queue.push(item);
    for (const item of queued) if (item.kind === "feedback") this.#queue.push(item);
    if (fits.length === 0) return;
    const ctx = { ...this.#delivery, keepalive: true, maxRetries: 0 };
    // The in-flight request's events are its own to give up.
    void deliverEvents(ctx, fits).then(
      (undelivered) =>
        this.#giveUp(
          undelivered.filter((item) => !inFlight.has(item)),
          "retries_exhausted",
        ),
      () => undefined,
    );
  }

  /**
   * Resolves `true` once every item queued before the call has been handled and none of them was given up;
   * `false` on timeout. Never rejects.
   */
  async flush(timeoutMs?: number): Promise<boolean> {
    const target = this.#seq;
    const failuresBefore = this.#failures;
    const direct = [...this.#direct];
    const work = (async () => {
      do {
        await this.drain();
      } while ((this.#queue.peek()?.seq ?? Infinity) <= target);
      await Promise.all(direct);
    })();
    const done = await settlesWithin(work, timeoutMs);
    return done && this.#failures === failuresBefore;
  }

  /** Stops the timer, flushes, and spools or counts what is left. Idempotent. */
  close(timeoutMs: number): Promise<boolean> {
    this.#closed ??= (async () => {
      clearInterval(this.#timer);
      this.#durable?.stop();
      this.#reportOverflow();
      const ok = await this.flush(timeoutMs);
      const events: EventItem[] = [];
      for (const item of this.#queue.drain()) {
        if (item.kind === "event") events.push(item);
        else this.#dropFeedback(item);
      }
      if (events.length > 0) {
        if (!this.#durable) {
          this.#report(
            new PhosphoDeliveryError(
              "shutdown_timeout",
              events.length,
              `shutdown: ${events.length} event(s) unsent after ${timeoutMs} ms dropped (spoolDir keeps them)`,
            ),
          );
        }
        await this.#giveUp(events, "shutdown_timeout");
      }
      return ok;
    })();
    return this.#closed;
  }
}

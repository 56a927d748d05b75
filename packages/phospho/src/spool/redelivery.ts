// Re-delivery of spooled events while the client runs: once the collector answers again, a bounded slice of
// the spool is read back into the queue, oldest file first, and each file is removed only when every one of
// its events has been acknowledged or dropped by the collector (a per-event `error_in_log`, a 413 for one
// event). The order is: read the file (it stays on disk) → queue → send → reply → remove the file. A crash at
// any point before the removal leaves the file on disk, so it is sent again later: delivery is at least once,
// never at most once. A second send of an event is harmless because the collector upserts tasks by task_id.
// For the same reason, two clients sharing one spoolDir may both send a file; neither loses it.
//
// One slice at a time: the next is read only after the previous one has left memory, so a large spool never
// crowds the queue, and a file is never in memory twice in one client.

import { PhosphoDeliveryError, type PhosphoError } from "../errors.js";
import type { EventItem, SpoolOrigin } from "../queue/items.js";
import type { LogEvent } from "../types.js";
import type { Spool } from "./spool.js";

export interface RedeliveryHost {
  /** Events and estimated bytes a slice may add now (the queue's free room, kept for live logs too). */
  room(): { events: number; bytes: number; queueEmpty: boolean };
  enqueue(event: LogEvent, size: number, origin: SpoolOrigin): void;
  /** A slice was queued: time to send it. */
  loaded(): void;
  report(error: PhosphoError): void;
}

export class Redelivery {
  readonly #spool: Spool;
  readonly #host: RedeliveryHost;
  /** Files of the current slice not yet finished (removal included). */
  #files = 0;
  /** False once the directory was seen empty; set again by each write. */
  #mayHold = true;
  #loading: Promise<number> | undefined;
  #stopped = false;
  #lastAttemptAt = -Infinity;
  /** Events already finished: `finish` is idempotent, so an error path may hand back a whole batch. */
  readonly #finished = new WeakSet<EventItem>();

  constructor(spool: Spool, host: RedeliveryHost) {
    this.#spool = spool;
    this.#host = host;
  }

  /** Whether a slice is in memory or the spool may hold events. */
  get pending(): boolean {
    return this.#files > 0 || this.#mayHold;
  }

  /** Events were just spooled (a send failed): the idle probe waits a full interval before trying again. */
  noteWritten(now = Date.now()): void {
    this.#mayHold = true;
    this.#lastAttemptAt = now;
  }

  /** No more slices (the pipeline is closing); what is in memory is finished as usual. */
  stop(): void {
    this.#stopped = true;
  }

  /** For an idle client: a slice is also the probe that the collector is back, at most once per `everyMs`. */
  probeDue(everyMs: number, now = Date.now()): boolean {
    return this.#files === 0 && this.#mayHold && now - this.#lastAttemptAt >= everyMs;
  }

  /**
   * Reads the next slice into the queue when none is in memory. Single-flight; resolves to the number of
   * events queued. Never rejects.
   */
  refill(): Promise<number> {
    if (this.#stopped || this.#files > 0 || !this.#mayHold) return Promise.resolve(0);
    this.#loading ??= this.#load()
      .catch((error: unknown) => {
        this.#host.report(
          new PhosphoDeliveryError("spool_error", 0, `could not read spoolDir: ${String(error)}`),
        );
        return 0;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }

  async #load(): Promise<number> {
    const names = await this.#spool.list();
    if (names.length === 0) {
      this.#mayHold = false;
      return 0;
    }
    const room = this.#host.room();
    const slice: Array<{ origin: SpoolOrigin; events: LogEvent[]; sizes: number[] }> = [];
    let events = 0;
    let bytes = 0;
    for (const name of names) {
      if (this.#stopped) return 0;
      const file = await this.#spool.read(name);
      if (!file) continue;
      if (!file.events) {
        await this.#spool.quarantine(name);
        this.#host.report(
          new PhosphoDeliveryError("spool_corrupt", 0, `spool file ${name} is not a JSON array: moved aside`),
        );
        continue;
      }
      if (file.events.length === 0) {
        await this.#spool.remove(name);
        continue;
      }
      const sizes = file.events.map((event) => JSON.stringify(event).length);
      const fileBytes = sizes.reduce((a, b) => a + b, 0);
      const fits = events + file.events.length <= room.events && bytes + fileBytes <= room.bytes;
      // A file larger than the room still goes alone into an empty queue, or it would never be sent.
      if (!fits && !(slice.length === 0 && room.queueEmpty)) break;
      slice.push({
        origin: { file: name, pending: file.events.length, released: false },
        events: file.events,
        sizes,
      });
      events += file.events.length;
      bytes += fileBytes;
      if (!fits) break;
    }
    // Live logs may have filled the queue during the reads: keep only the files that still fit (the others
    // stay on disk untouched, so the order holds).
    const now = this.#host.room();
    let kept = 0;
    let keptEvents = 0;
    let keptBytes = 0;
    for (const { events: list, sizes } of slice) {
      const fileBytes = sizes.reduce((a, b) => a + b, 0);
      const fits = keptEvents + list.length <= now.events && keptBytes + fileBytes <= now.bytes;
      if (!fits && !(kept === 0 && now.queueEmpty)) break;
      kept++;
      keptEvents += list.length;
      keptBytes += fileBytes;
    }
    if (this.#stopped || kept === 0) return 0;
    this.#lastAttemptAt = Date.now();
    this.#files = kept;
    // Queued together after the reads, in file order, so the slice keeps the order it was written in.
    for (const { origin, events: list, sizes } of slice.slice(0, kept)) {
      list.forEach((event, i) => this.#host.enqueue(event, sizes[i] ?? 0, origin));
    }
    this.#host.loaded();
    return keptEvents;
  }

  /**
   * An event of the slice is done: `settled` when the collector acknowledged or dropped it, otherwise handed
   * back (failed again, pushed out of a full queue, or still queued at shutdown) and left on disk.
   */
  finish(item: EventItem, settled: boolean): void {
    const origin = item.origin;
    if (!origin || this.#finished.has(item)) return;
    this.#finished.add(item);
    origin.pending--;
    if (!settled) origin.released = true;
    if (origin.pending > 0) return;
    if (origin.released) {
      this.#files--;
      return;
    }
    // Removed only now, after the reply: see the top of this file. The next slice waits for the removal, so
    // a file is never read again while it is being removed.
    this.#spool
      .remove(origin.file)
      .catch((error: unknown) => {
        this.#host.report(
          new PhosphoDeliveryError(
            "spool_error",
            0,
            `could not remove delivered spool file ${origin.file}: ${String(error)} (its events may be sent again)`,
          ),
        );
      })
      .finally(() => {
        this.#files--;
        // The collector just acknowledged this file: it answers, so go on with the next slice.
        if (this.#files === 0) void this.refill();
      });
  }
}

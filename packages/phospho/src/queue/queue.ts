// A FIFO bounded by count and by estimated bytes. When a push overflows, the oldest items are dropped and
// returned, so that the caller counts them. Items keep a sequence number so `flush()` knows what came before it.

import type { EventItem, QueueItem } from "./items.js";

/** The bounds, named as the options are (a resolved config is one). */
export interface QueueBounds {
  maxQueueEvents: number;
  maxQueueBytes: number;
}

/** What `push` returns when nothing was dropped (the usual case): one shared empty list, not one per push. */
const NONE: readonly QueueItem[] = [];

export class BoundedQueue {
  #items: QueueItem[] = [];
  #head = 0;
  #bytes = 0;
  #events = 0;
  #bounds: QueueBounds;
  /**
   * Queued (not yet taken) events by task id, so a second log of the same task can merge into the first. Only
   * events whose id the caller chose: generated ids are unique, and a lookup per log would cost the hot path.
   */
  #byTask = new Map<string, EventItem>();

  constructor(bounds: QueueBounds) {
    this.#bounds = bounds;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Count of event items (feedback excluded). */
  get eventCount(): number {
    return this.#events;
  }

  peek(): QueueItem | undefined {
    return this.#items[this.#head];
  }

  /** Adds at the tail; returns the items dropped from the head to stay within bounds (do not change it). */
  push(item: QueueItem): readonly QueueItem[] {
    this.#items.push(item);
    this.#bytes += item.size;
    if (item.kind === "event") {
      this.#events++;
      if (item.mergeable) this.#byTask.set(item.event.task_id, item);
    }
    const { maxQueueEvents, maxQueueBytes } = this.#bounds;
    if (this.length <= maxQueueEvents && this.#bytes <= maxQueueBytes) return NONE;
    const dropped: QueueItem[] = [];
    while (this.length > maxQueueEvents || (this.#bytes > maxQueueBytes && this.length > 1)) {
      const old = this.shift();
      if (!old) break;
      dropped.push(old);
    }
    return dropped;
  }

  shift(): QueueItem | undefined {
    const item = this.#items[this.#head];
    if (!item) return undefined;
    this.#items[this.#head] = undefined as unknown as QueueItem;
    this.#head++;
    this.#bytes -= item.size;
    if (item.kind === "event") {
      this.#events--;
      if (item.mergeable && this.#byTask.get(item.event.task_id) === item)
        this.#byTask.delete(item.event.task_id);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) this.#compact();
    return item;
  }

  /** Removes and returns everything. */
  drain(): QueueItem[] {
    const all = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#events = 0;
    this.#byTask.clear();
    return all;
  }

  /** The event of this task still waiting in the queue (not taken for sending), if any. */
  queuedEvent(taskId: string): EventItem | undefined {
    return this.#byTask.get(taskId);
  }

  /** Updates the size of a queued item whose event was changed in place. */
  resize(item: QueueItem, size: number): void {
    this.#bytes += size - item.size;
    item.size = size;
  }

  /** The queued events, oldest first. */
  *events(): IterableIterator<EventItem> {
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i];
      if (item?.kind === "event") yield item;
    }
  }

  #compact(): void {
    this.#items = this.#items.slice(this.#head);
    this.#head = 0;
  }
}

// A FIFO bounded by count and by estimated bytes. When a push overflows, the oldest items are dropped and
// returned, so that the caller counts them. Items keep a sequence number so `flush()` knows what came before it.

import type { QueueItem } from "./items.js";

export interface QueueBounds {
  maxItems: number;
  maxBytes: number;
}

export class BoundedQueue {
  #items: QueueItem[] = [];
  #head = 0;
  #bytes = 0;
  #events = 0;
  #bounds: QueueBounds;

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

  /** Adds at the tail; returns the items dropped from the head to stay within bounds. */
  push(item: QueueItem): QueueItem[] {
    this.#items.push(item);
    this.#bytes += item.size;
    if (item.kind === "event") this.#events++;
    const dropped: QueueItem[] = [];
    while (this.length > this.#bounds.maxItems || (this.#bytes > this.#bounds.maxBytes && this.length > 1)) {
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
    if (item.kind === "event") this.#events--;
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
    return all;
  }

  #compact(): void {
    this.#items = this.#items.slice(this.#head);
    this.#head = 0;
  }
}

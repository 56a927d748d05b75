// Takes the next unit of work off the queue: either a run of events (up to the batch bounds), or one feedback.
// Feedback stops a batch, so feedback about a queued task always goes after that task.

import type { EventItem, FeedbackItem } from "./items.js";
import type { BoundedQueue } from "./queue.js";

export type Work = { kind: "events"; items: EventItem[] } | { kind: "feedback"; item: FeedbackItem };

export function takeWork(queue: BoundedQueue, maxEvents: number, maxBytes: number): Work | undefined {
  const first = queue.peek();
  if (!first) return undefined;
  if (first.kind === "feedback") {
    queue.shift();
    return { kind: "feedback", item: first };
  }
  const items: EventItem[] = [];
  let bytes = 0;
  for (;;) {
    const next = queue.peek();
    if (!next || next.kind !== "event" || items.length >= maxEvents) break;
    if (items.length > 0 && bytes + next.size > maxBytes) break;
    queue.shift();
    items.push(next);
    bytes += next.size;
  }
  return { kind: "events", items };
}

// What waits in the queue: events, and feedback that must be sent after the task it is about.

import type { LogEvent } from "../types.js";

export interface EventItem {
  kind: "event";
  seq: number;
  /** Estimated serialised size, in characters. */
  size: number;
  event: LogEvent;
}

export interface FeedbackItem {
  kind: "feedback";
  seq: number;
  size: number;
  taskId: string;
  body: Record<string, unknown>;
}

export type QueueItem = EventItem | FeedbackItem;

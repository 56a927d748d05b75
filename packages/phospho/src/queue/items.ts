// What waits in the queue: events, and feedback that must be sent after the task it is about.

import type { LogEvent } from "../types.js";

/**
 * The spool file an event was read back from. Shared by that file's events; the file is deleted once none of
 * them is left in memory and none was released (handed back to the disk because it failed again).
 */
export interface SpoolOrigin {
  file: string;
  /** Events of this file still queued or in flight. */
  pending: number;
  /** Set when one of them could not be delivered: the file then stays on disk for a later attempt. */
  released: boolean;
}

export interface EventItem {
  kind: "event";
  seq: number;
  /** Estimated serialised size, in characters. */
  size: number;
  event: LogEvent;
  /** Set for events re-read from the spool (not for events logged by this process since). */
  origin?: SpoolOrigin;
  /** The caller chose the task id: a later log of the same task may merge into this one while it is queued. */
  mergeable?: boolean;
}

export interface FeedbackItem {
  kind: "feedback";
  seq: number;
  size: number;
  taskId: string;
  body: Record<string, unknown>;
  /** Told how the feedback ended: the collector's reply, or not delivered. */
  done?: (result: { ok: true; task: unknown } | { ok: false }) => void;
}

export type QueueItem = EventItem | FeedbackItem;

/** The ingest request as a whole: `{"batched_log_events": [...]}`, its count limit, then each event on its own. */
import { HttpError } from "../errors.js";
import type { IngestEvent } from "../store/types.js";
import { normalizeEvent, type EventLimits } from "./event.js";

export interface BatchLimits extends EventLimits {
  maxBatchEvents: number;
}

export interface ValidatedBatch {
  /** The events to store, in order. */
  events: IngestEvent[];
  /** One entry per input event, in order: the normalised event or `{ error_in_log }`. */
  logged: Array<Record<string, unknown>>;
}

export function validateBatch(
  body: unknown,
  projectId: string,
  now: number,
  limits: BatchLimits,
): ValidatedBatch {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(422, 'body: must be a JSON object {"batched_log_events": [...]}');
  }
  const list = (body as Record<string, unknown>).batched_log_events;
  if (!Array.isArray(list)) {
    throw new HttpError(
      422,
      list === undefined
        ? "batched_log_events: is required (an array of log events)"
        : "batched_log_events: must be an array of log events",
    );
  }
  if (list.length > limits.maxBatchEvents) {
    throw new HttpError(
      413,
      `batched_log_events: ${list.length} events is over the limit of ${limits.maxBatchEvents} per request; send smaller batches`,
    );
  }
  const events: IngestEvent[] = [];
  const logged: Array<Record<string, unknown>> = [];
  for (const raw of list) {
    const result = normalizeEvent(raw, projectId, now, limits);
    if (result.ok) {
      events.push(result.event);
      logged.push(result.echo);
    } else {
      logged.push({ error_in_log: result.error });
    }
  }
  return { events, logged };
}

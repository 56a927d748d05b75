/** Spans and log records of one request as ingest events: one per trace, each recomputed from its stored steps. */
import type { Step, StepLogEntry } from "../steps/index.js";
import type { IngestEvent } from "../store/types.js";
import { spanToStep } from "./genai.js";
import { logEntries } from "./logs.js";
import type { OtlpLogRecord, OtlpSpan, ReadResult } from "./read.js";
import { deriveTask } from "./task.js";

export interface Prepared {
  events: IngestEvent[];
  accepted: number;
  rejected: number;
  reasons: string[];
  /** Accepted items that gave nothing to keep (log records without message content). */
  ignored: number;
}

/** The task id of a trace: the trace id itself, in lowercase hex, so that a trace is easy to find. */
export const taskIdOf = (traceId: string) => traceId;

function traceEvent(
  traceId: string,
  now: number,
  steps?: Step[],
  logs?: Map<string, StepLogEntry[]>,
): IngestEvent {
  const taskId = taskIdOf(traceId);
  return {
    task_id: taskId,
    session_id: null,
    input: "",
    output: null,
    created_at: null,
    order: now,
    raw_input: null,
    raw_output: null,
    raw_input_type_name: null,
    raw_output_type_name: null,
    metadata: {},
    flag: null,
    steps,
    stepLogs: logs,
    deriveFromSteps: (rows) => {
      try {
        return deriveTask(taskId, traceId, rows, now);
      } catch (error) {
        // A mapping bug must cost this trace's summary, never the request or the other traces of the batch.
        const root = rows.find((row) => row.has_span && row.parent_id === null);
        return {
          ...traceEvent(traceId, now),
          input: root?.name ?? "",
          steps: undefined,
          deriveFromSteps: undefined,
          metadata: {
            source: "otlp",
            trace_id: traceId,
            error: `could not map this trace: ${String(error)}`,
          },
        };
      }
    },
  };
}

export function prepareSpans(read: ReadResult<OtlpSpan>, now: number): Prepared {
  const byTrace = new Map<string, Map<string, Step>>();
  let rejected = read.rejected;
  const reasons = [...read.reasons];
  for (const span of read.items) {
    let step: Step;
    try {
      step = spanToStep(span);
    } catch (error) {
      rejected += 1;
      if (reasons.length < 5) reasons.push(`span ${span.spanId}: could not be read (${String(error)})`);
      continue;
    }
    const steps = byTrace.get(span.traceId) ?? new Map<string, Step>();
    steps.set(step.id, step);
    byTrace.set(span.traceId, steps);
  }
  const events = [...byTrace].map(([traceId, steps]) => traceEvent(traceId, now, [...steps.values()]));
  return { events, accepted: read.items.length - (rejected - read.rejected), rejected, reasons, ignored: 0 };
}

export function prepareLogs(read: ReadResult<OtlpLogRecord>, now: number): Prepared {
  const byTrace = new Map<string, Map<string, StepLogEntry[]>>();
  let ignored = 0;
  for (const record of read.items) {
    const entries = logEntries(record);
    if (entries.length === 0) {
      ignored += 1;
      continue;
    }
    const spans = byTrace.get(record.traceId) ?? new Map<string, StepLogEntry[]>();
    spans.set(record.spanId, [...(spans.get(record.spanId) ?? []), ...entries]);
    byTrace.set(record.traceId, spans);
  }
  const events = [...byTrace].map(([traceId, logs]) => traceEvent(traceId, now, undefined, logs));
  return { events, accepted: read.items.length, rejected: read.rejected, reasons: read.reasons, ignored };
}

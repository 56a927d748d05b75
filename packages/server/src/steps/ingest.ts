/**
 * Steps inside the ingest transaction (called by `store/upsert.ts` before the tasks are merged): write each event's
 * steps and joined log records, count the task's steps, and let an OTLP event be recomputed from every row its task
 * now has, so that spans arriving in any order and in any number of requests give the same task.
 */
import type { Transaction } from "kysely";
import type { Database } from "../store/schema.js";
import type { IngestEvent } from "../store/types.js";
import { attachLogs, readTaskRows, writeSteps } from "./table.js";

export interface PreparedEvents {
  events: IngestEvent[];
  /** Steps stored per task id, for `tasks.step_count`. */
  counts: Map<string, number>;
}

const carriesSteps = (event: IngestEvent) =>
  event.steps !== undefined || event.stepLogs !== undefined || event.deriveFromSteps !== undefined;

async function countSteps(trx: Transaction<Database>, projectId: string, taskId: string): Promise<number> {
  const row = await trx
    .selectFrom("steps")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", projectId)
    .where("task_id", "=", taskId)
    .where("has_span", "=", 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function storeEventSteps(
  trx: Transaction<Database>,
  projectId: string,
  events: IngestEvent[],
): Promise<PreparedEvents> {
  const counts = new Map<string, number>();
  if (!events.some(carriesSteps)) return { events, counts };
  const out: IngestEvent[] = [];
  for (const event of events) {
    if (!carriesSteps(event)) {
      out.push(event);
      continue;
    }
    if (event.steps && event.steps.length > 0) await writeSteps(trx, projectId, event.task_id, event.steps);
    if (event.stepLogs && event.stepLogs.size > 0)
      await attachLogs(trx, projectId, event.task_id, event.stepLogs);
    if (event.deriveFromSteps) {
      const rows = await readTaskRows(trx, projectId, event.task_id);
      counts.set(event.task_id, rows.filter((row) => row.has_span).length);
      out.push(event.deriveFromSteps(rows));
    } else {
      counts.set(event.task_id, await countSteps(trx, projectId, event.task_id));
      out.push(event);
    }
  }
  return { events: out, counts };
}

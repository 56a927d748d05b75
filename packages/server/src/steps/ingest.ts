/**
 * Steps inside the ingest transaction (called by `store/upsert.ts` before the tasks are merged): write each event's
 * steps and joined log records, count the task's steps, and let an OTLP event be recomputed from every row its task
 * now has, so that spans arriving in any order and in any number of requests give the same task. On PostgreSQL
 * the writers of one task's steps take its lock first, so replicas receiving parts of one trace at the same
 * instant each see the other's committed part instead of overwriting it.
 */
import type { Transaction } from "kysely";
import { chunks } from "../store/chunks.js";
import type { Database } from "../store/schema.js";
import { lockTaskSteps } from "../store/sessions.js";
import type { Dialect, IngestEvent } from "../store/types.js";
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

/**
 * A recomputed task replaces the stored one whatever the clocks say: it was derived from every step, the stored
 * one's included. Its `order` is raised to the stored `last_update` (another replica's clock may be ahead).
 */
async function lastUpdates(
  trx: Transaction<Database>,
  projectId: string,
  ids: string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const part of chunks(ids)) {
    const rows = await trx
      .selectFrom("tasks")
      .select(["id", "last_update"])
      .where("project_id", "=", projectId)
      .where("id", "in", part)
      .execute();
    for (const row of rows) found.set(row.id, Number(row.last_update));
  }
  return found;
}

export async function storeEventSteps(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  events: IngestEvent[],
): Promise<PreparedEvents> {
  const counts = new Map<string, number>();
  if (!events.some(carriesSteps)) return { events, counts };
  await lockTaskSteps(
    trx,
    dialect,
    projectId,
    events.filter(carriesSteps).map((event) => event.task_id),
  );
  const derived = events.filter((event) => event.deriveFromSteps).map((event) => event.task_id);
  const stored = derived.length > 0 ? await lastUpdates(trx, projectId, derived) : new Map<string, number>();
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
      const task = event.deriveFromSteps(rows);
      out.push({ ...task, order: Math.max(task.order, stored.get(event.task_id) ?? task.order) });
    } else {
      counts.set(event.task_id, await countSteps(trx, projectId, event.task_id));
      out.push(event);
    }
  }
  return { events: out, counts };
}

/** Feedback and owner edits, inside the writing transaction. */
import type { Transaction } from "kysely";
import { applyAggregateChanges } from "../aggregates/index.js";
import { priceRows } from "../pricing/index.js";
import { applyEval } from "./evals.js";
import { deriveColumns, parseObject } from "./derive.js";
import type { Database } from "./schema.js";
import { applySessionChanges } from "./session-totals.js";
import { lockSessions, lockTaskArrival } from "./sessions.js";
import { updateChangedColumns } from "./task-update.js";
import type { Dialect, FeedbackInput, FeedbackResult, TaskPatch, TaskRow } from "./types.js";

/** The task, locked for update; on PostgreSQL its session is locked first, as ingest does (see upsert.ts). */
async function lockTask(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  taskId: string,
): Promise<TaskRow | undefined> {
  const read = () =>
    trx.selectFrom("tasks").selectAll().where("project_id", "=", projectId).where("id", "=", taskId);
  if (dialect !== "postgres") return read().executeTakeFirst();
  let pre = await read().executeTakeFirst();
  if (!pre) {
    // Absent: wait for any replica inserting it right now, then look again.
    await lockTaskArrival(trx, dialect, projectId, [taskId]);
    pre = await read().executeTakeFirst();
    if (!pre) return undefined;
  }
  if (pre.session_id) await lockSessions(trx, dialect, projectId, [pre.session_id]);
  return read().forUpdate().executeTakeFirst();
}

/** Writes the task, then moves its contribution in its session's totals and in the aggregates. */
async function saveTask(
  trx: Transaction<Database>,
  dialect: Dialect,
  before: TaskRow,
  after: TaskRow,
  shard: number,
) {
  if (!(await updateChangedColumns(trx, before, after))) return;
  const changes = [{ before, after }];
  await applySessionChanges(trx, dialect, after.project_id, changes, shard);
  await applyAggregateChanges(trx, dialect, after.project_id, changes, shard);
}

/** Keeps the newest `keep` feedback rows of a task: repeated feedback cannot grow one task's history for ever. */
async function trimHistory(trx: Transaction<Database>, projectId: string, taskId: string, keep: number) {
  const cutoff = await trx
    .selectFrom("evals")
    .select("id")
    .where("project_id", "=", projectId)
    .where("task_id", "=", taskId)
    .orderBy("id", "desc")
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  if (!cutoff) return;
  await trx
    .deleteFrom("evals")
    .where("project_id", "=", projectId)
    .where("task_id", "=", taskId)
    .where("id", "<=", cutoff.id)
    .execute();
}

export async function addFeedback(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  taskId: string,
  feedback: FeedbackInput,
  now: number,
  shard = 0,
): Promise<FeedbackResult> {
  const task = await lockTask(trx, dialect, projectId, taskId);
  const evaluation = {
    project_id: projectId,
    task_id: taskId,
    kind: feedback.kind,
    value: feedback.value,
    source: feedback.source,
    notes: feedback.notes ?? null,
    created_at: feedback.at ?? now,
    applied: task ? 1 : 0,
    keyless: feedback.keyless ? 1 : 0,
    client: feedback.client ?? null,
  };
  await trx.insertInto("evals").values(evaluation).execute();
  if (feedback.keepHistory !== undefined) await trimHistory(trx, projectId, taskId, feedback.keepHistory);
  if (!task) return { task: null, pending: true };
  const updated = { ...applyEval(task, evaluation), updated_at: now };
  await saveTask(trx, dialect, task, updated, shard);
  return { task: updated, pending: false };
}

export async function updateTask(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  taskId: string,
  patch: TaskPatch,
  now: number,
  shard = 0,
): Promise<TaskRow | null> {
  const task = await lockTask(trx, dialect, projectId, taskId);
  if (!task) return null;
  let updated: TaskRow = { ...task, updated_at: now };
  if (patch.metadata) {
    const metadata = { ...parseObject(task.metadata), ...patch.metadata };
    updated = { ...updated, metadata: JSON.stringify(metadata), ...deriveColumns(metadata) };
    await priceRows(trx, projectId, [updated]);
  }
  if (patch.flag !== undefined || patch.notes !== undefined) {
    const evaluation = {
      project_id: projectId,
      task_id: taskId,
      kind: patch.flag !== undefined ? "flag" : "notes",
      value: patch.flag ?? null,
      source: patch.flagSource ?? "owner",
      notes: patch.notes ?? null,
      created_at: now,
      applied: 1,
    };
    await trx.insertInto("evals").values(evaluation).execute();
    updated = applyEval(updated, evaluation);
  }
  await saveTask(trx, dialect, task, updated, shard);
  return updated;
}

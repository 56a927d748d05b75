/**
 * Ingest inside one transaction: upsert each event (newer fields win, older ones only fill gaps), apply feedback
 * that was waiting for the new tasks, then recompute every affected session.
 */
import type { Transaction } from "kysely";
import { applyEval, changedColumns } from "./evals.js";
import { deriveColumns, parseObject } from "./derive.js";
import type { Database } from "./schema.js";
import { recomputeSession } from "./sessions.js";
import type { Dialect, IngestEvent, TaskRow } from "./types.js";

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function newTaskRow(projectId: string, event: IngestEvent, now: number): TaskRow {
  return {
    project_id: projectId,
    id: event.task_id,
    session_id: event.session_id,
    created_at: event.created_at ?? now,
    received_at: now,
    updated_at: now,
    last_update: event.order,
    input: event.input,
    output: event.output,
    raw_input: event.raw_input,
    raw_output: event.raw_output,
    raw_input_type_name: event.raw_input_type_name,
    raw_output_type_name: event.raw_output_type_name,
    metadata: JSON.stringify(event.metadata),
    ...deriveColumns(event.metadata),
    flag: event.flag,
    flag_source: event.flag ? "log" : null,
    notes: null,
    human_eval: null,
    human_eval_at: null,
    last_eval: null,
    task_position: null,
    is_last_task: 0,
  };
}

/** Newer event (by `order`, ties to the later arrival): present fields replace. Older: only fills gaps. */
export function mergeTaskRow(stored: TaskRow, event: IngestEvent, now: number): TaskRow {
  const newer = event.order >= stored.last_update;
  const pick = <T>(incoming: T | null, kept: T | null): T | null =>
    newer ? (incoming ?? kept) : (kept ?? incoming);
  const storedMetadata = parseObject(stored.metadata);
  const metadata = newer
    ? { ...storedMetadata, ...event.metadata }
    : { ...event.metadata, ...storedMetadata };
  const flag = pick(event.flag, stored.flag as "success" | "failure" | null);
  return {
    ...stored,
    session_id: pick(event.session_id, stored.session_id),
    created_at: newer ? (event.created_at ?? stored.created_at) : stored.created_at,
    last_update: Math.max(stored.last_update, event.order),
    input: newer ? event.input : stored.input,
    output: pick(event.output, stored.output),
    raw_input: pick(event.raw_input, stored.raw_input),
    raw_output: pick(event.raw_output, stored.raw_output),
    raw_input_type_name: pick(event.raw_input_type_name, stored.raw_input_type_name),
    raw_output_type_name: pick(event.raw_output_type_name, stored.raw_output_type_name),
    metadata: JSON.stringify(metadata),
    ...deriveColumns(metadata),
    flag,
    flag_source: flag === stored.flag ? stored.flag_source : "log",
    updated_at: now,
  };
}

async function loadTasks(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  ids: string[],
): Promise<Map<string, TaskRow>> {
  const found = new Map<string, TaskRow>();
  for (const part of chunks(ids)) {
    let query = trx
      .selectFrom("tasks")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("id", "in", part);
    if (dialect === "postgres") query = query.forUpdate();
    for (const row of await query.execute()) found.set(row.id, row);
  }
  return found;
}

async function updateRow(trx: Transaction<Database>, before: TaskRow, after: TaskRow): Promise<void> {
  const changes = changedColumns(before, after);
  if (Object.keys(changes).length === 0) return;
  await trx
    .updateTable("tasks")
    .set({ ...changes, updated_at: after.updated_at })
    .where("project_id", "=", after.project_id)
    .where("id", "=", after.id)
    .execute();
}

export async function upsertEvents(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  events: IngestEvent[],
  now: number,
): Promise<void> {
  const ids = [...new Set(events.map((event) => event.task_id))];
  const rows = await loadTasks(trx, dialect, projectId, ids);
  const original = new Map(rows);
  const created = new Set<string>();
  const sessions = new Set<string>();

  for (const event of events) {
    const stored = rows.get(event.task_id);
    if (stored) {
      if (stored.session_id) sessions.add(stored.session_id);
      rows.set(event.task_id, mergeTaskRow(stored, event, now));
    } else {
      rows.set(event.task_id, newTaskRow(projectId, event, now));
      created.add(event.task_id);
    }
    const row = rows.get(event.task_id)!;
    if (row.session_id) sessions.add(row.session_id);
  }

  for (const id of created) {
    const row = rows.get(id)!;
    const inserted = await trx
      .insertInto("tasks")
      .values(row)
      .onConflict((conflict) => conflict.columns(["project_id", "id"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      // Another replica inserted it first: merge this batch's events over its row instead.
      created.delete(id);
      const [theirs] = (await loadTasks(trx, dialect, projectId, [id])).values();
      if (!theirs) continue;
      if (theirs.session_id) sessions.add(theirs.session_id);
      let merged = theirs;
      for (const event of events) if (event.task_id === id) merged = mergeTaskRow(merged, event, now);
      await updateRow(trx, theirs, merged);
    }
  }
  for (const [id, before] of original) await updateRow(trx, before, rows.get(id)!);

  await applyPendingFeedback(trx, projectId, [...created], rows, sessions);
  for (const sessionId of [...sessions].sort()) await recomputeSession(trx, dialect, projectId, sessionId);
}

async function applyPendingFeedback(
  trx: Transaction<Database>,
  projectId: string,
  taskIds: string[],
  rows: Map<string, TaskRow>,
  sessions: Set<string>,
): Promise<void> {
  for (const part of chunks(taskIds)) {
    const pending = await trx
      .selectFrom("evals")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("applied", "=", 0)
      .where("task_id", "in", part)
      .orderBy("id")
      .execute();
    if (pending.length === 0) continue;
    const touched = new Map<string, TaskRow>();
    for (const evaluation of pending) {
      const current = rows.get(evaluation.task_id)!;
      if (!touched.has(evaluation.task_id)) touched.set(evaluation.task_id, current);
      rows.set(evaluation.task_id, applyEval(current, evaluation));
    }
    for (const [id, before] of touched) {
      const after = rows.get(id)!;
      await updateRow(trx, before, after);
      if (after.session_id) sessions.add(after.session_id);
    }
    await trx
      .updateTable("evals")
      .set({ applied: 1 })
      .where(
        "id",
        "in",
        pending.map((evaluation) => evaluation.id),
      )
      .execute();
  }
}

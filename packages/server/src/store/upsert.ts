/**
 * Ingest inside one transaction, with a constant number of statements per batch rather than per event:
 * 1. load the stored versions of the batch's tasks; merge every event in memory (newer fields win, older ones
 *    only fill gaps); apply the feedback that was waiting for the new tasks;
 * 2. write: multi-row insert of the new tasks, updates of the changed ones;
 * 3. from the list of changed tasks (before, after), update the session totals (session-totals.ts) and the
 *    aggregates (aggregates/) incrementally, in the same transaction: no step reads a whole session.
 * Positions in a session are not stored: they are derived when read (positions.ts).
 * On PostgreSQL a task inserted meanwhile by another replica is merged in the slow path, one task at a time.
 */
import type { Transaction } from "kysely";
import { applyAggregateChanges, type TaskChange } from "../aggregates/index.js";
import { priceRows } from "../pricing/index.js";
import { applyEval } from "./evals.js";
import { deriveColumns, parseObject } from "./derive.js";
import { chunks } from "./chunks.js";
import { insertTaskRows } from "./insert-tasks.js";
import type { Database } from "./schema.js";
import { applySessionChanges } from "./session-totals.js";
import { lockSessions, lockTaskArrival } from "./sessions.js";
import { updateChangedColumns } from "./task-update.js";
import { storeEventSteps } from "../steps/ingest.js";
import type { Dialect, IngestEvent, TaskRow } from "./types.js";

/** Rows per multi-row INSERT: 37 columns each stays far below SQLite's 32,766 bound variables. */
const INSERT_CHUNK = 200;

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
    cost_usd: null,
    cost_source: null,
    cost_prices: null,
    step_count: 0,
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

/** Step 1: merged rows in memory, with the pending feedback of the new tasks applied. */
async function mergeBatch(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  stored: Map<string, TaskRow>,
  events: IngestEvent[],
  fresh: ReadonlySet<string>,
  now: number,
) {
  const rows = new Map<string, TaskRow>();
  for (const event of events) {
    const current = rows.get(event.task_id) ?? stored.get(event.task_id);
    rows.set(event.task_id, current ? mergeTaskRow(current, event, now) : newTaskRow(projectId, event, now));
  }
  const created = [...rows.keys()].filter((id) => !stored.has(id));
  // Feedback can only be waiting for an id someone knew before this batch: not for one the collector just made.
  const awaited = created.filter((id) => !fresh.has(id));
  await lockTaskArrival(trx, dialect, projectId, awaited);
  const appliedEvals: number[] = [];
  for (const part of chunks(awaited)) {
    const pending = await trx
      .selectFrom("evals")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("applied", "=", 0)
      .where("task_id", "in", part)
      .orderBy("id")
      .execute();
    for (const evaluation of pending) {
      rows.set(evaluation.task_id, applyEval(rows.get(evaluation.task_id)!, evaluation));
      appliedEvals.push(evaluation.id);
    }
  }
  return { rows, created, appliedEvals };
}

export async function upsertEvents(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  incoming: IngestEvent[],
  now: number,
  shard = 0,
): Promise<void> {
  // Steps first: an OTLP event is recomputed from all of its task's stored steps (steps/ingest.ts).
  const prepared = await storeEventSteps(trx, dialect, projectId, incoming);
  const events = prepared.events;
  // Ids the collector made for this batch are stored nowhere yet: only the others are looked up and locked.
  const fresh = new Set<string>();
  const known = new Set<string>();
  for (const event of events) (event.fresh ? fresh : known).add(event.task_id);
  const ids = [...known];
  // PostgreSQL: session locks before row locks, in every writer, so that two writers never wait on each other
  // in opposite orders. The unlocked pre-read only finds the sessions the stored tasks belong to.
  if (dialect === "postgres") {
    const locked = new Set<string>();
    for (const event of events) if (event.session_id !== null) locked.add(event.session_id);
    for (const part of chunks(ids)) {
      const rows = await trx
        .selectFrom("tasks")
        .select("session_id")
        .where("project_id", "=", projectId)
        .where("id", "in", part)
        .execute();
      for (const row of rows) if (row.session_id !== null) locked.add(row.session_id);
    }
    await lockSessions(trx, dialect, projectId, [...locked]);
  }
  const stored = await loadTasks(trx, dialect, projectId, ids);
  const { rows, created, appliedEvals } = await mergeBatch(
    trx,
    dialect,
    projectId,
    stored,
    events,
    fresh,
    now,
  );
  for (const [id, count] of prepared.counts) {
    const row = rows.get(id);
    if (row) row.step_count = count;
  }
  await priceRows(trx, projectId, rows.values());

  const changes: TaskChange[] = [];
  const conflicted: string[] = [];
  for (const part of chunks(created, INSERT_CHUNK)) {
    const done = await insertTaskRows(
      trx,
      dialect,
      part.map((id) => rows.get(id)!),
    );
    for (const id of part) {
      if (done.has(id)) changes.push({ before: null, after: rows.get(id)! });
      else conflicted.push(id);
    }
  }
  for (const [id, before] of stored) {
    const after = rows.get(id)!;
    if (await updateChangedColumns(trx, before, after)) changes.push({ before, after });
  }
  for (const part of chunks(appliedEvals)) {
    await trx.updateTable("evals").set({ applied: 1 }).where("id", "in", part).execute();
  }
  if (conflicted.length > 0) {
    changes.push(...(await mergeConflicts(trx, dialect, projectId, events, conflicted, now)));
  }
  await applySessionChanges(trx, dialect, projectId, changes, shard);
  await applyAggregateChanges(trx, dialect, projectId, changes, shard);
}

/** PostgreSQL only: another replica inserted some of these tasks first; merge this batch's events over them. */
async function mergeConflicts(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  events: IngestEvent[],
  ids: string[],
  now: number,
): Promise<TaskChange[]> {
  const theirs = await loadTasks(trx, dialect, projectId, ids);
  const changes: TaskChange[] = [];
  for (const [id, before] of theirs) {
    let merged = before;
    for (const event of events) if (event.task_id === id) merged = mergeTaskRow(merged, event, now);
    await priceRows(trx, projectId, [merged]);
    if (await updateChangedColumns(trx, before, merged)) changes.push({ before, after: merged });
  }
  return changes;
}

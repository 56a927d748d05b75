/**
 * Session totals kept incrementally: each changed task removes its old contribution from its old session and adds
 * its new one (length, tokens, feedback counts, cost), so a write costs the same however long the session is.
 * The first and last task are compared by their sort key `(created_at, received_at, id)` with the kept ones, and
 * read from the session index (O(log n)) only when the kept first or last task itself changed; the user is read
 * the same way when a changed task carries one. Runs after the tasks are written, inside their transaction.
 */
import { sql, type Transaction } from "kysely";
import { applySessionStartChanges, costNano, type TaskChange } from "../aggregates/index.js";
import { chunks } from "./chunks.js";
import { parseObject } from "./derive.js";
import type { Database } from "./schema.js";
import { PREVIEW_CHARS, preview, sessionMetadata } from "./session-stats.js";
import { lockSessions } from "./sessions.js";
import type { Dialect, SessionRow, TaskRow } from "./types.js";

interface Edge {
  id: string;
  created_at: number;
  received_at: number;
  preview: string | null;
}

function compareEdges(a: Edge, b: Edge): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  if (a.received_at !== b.received_at) return a.received_at - b.received_at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const edgeOf = (task: TaskRow): Edge => ({
  id: task.id,
  created_at: Number(task.created_at),
  received_at: Number(task.received_at),
  preview: preview(task.input),
});

interface Delta {
  length: number;
  prompt: number;
  completion: number;
  total: number;
  success: number;
  failure: number;
  cost: number;
  /** Tasks that left or changed inside the session (their old version was in it). */
  left: Set<string>;
  /** The new versions of tasks now in the session. */
  arrived: TaskRow[];
  userTouched: boolean;
}

function add(delta: Delta, task: TaskRow, sign: 1 | -1): void {
  delta.length += sign;
  delta.prompt += sign * Number(task.prompt_tokens ?? 0);
  delta.completion += sign * Number(task.completion_tokens ?? 0);
  delta.total += sign * Number(task.total_tokens ?? 0);
  delta.success += sign * (task.flag === "success" ? 1 : 0);
  delta.failure += sign * (task.flag === "failure" ? 1 : 0);
  delta.cost += sign * costNano(task.cost_usd);
  if (task.user_id !== null) delta.userTouched = true;
}

function deltasOf(changes: TaskChange[]): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  const get = (id: string) => {
    let delta = deltas.get(id);
    if (!delta) {
      delta = {
        length: 0,
        prompt: 0,
        completion: 0,
        total: 0,
        success: 0,
        failure: 0,
        cost: 0,
        left: new Set(),
        arrived: [],
        userTouched: false,
      };
      deltas.set(id, delta);
    }
    return delta;
  };
  for (const { before, after } of changes) {
    if (before?.session_id) {
      const delta = get(before.session_id);
      add(delta, before, -1);
      delta.left.add(before.id);
    }
    if (after?.session_id) {
      const delta = get(after.session_id);
      add(delta, after, 1);
      delta.arrived.push(after);
    }
  }
  return deltas;
}

export async function applySessionChanges(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  changes: TaskChange[],
  shard: number,
): Promise<void> {
  const deltas = deltasOf(changes);
  if (deltas.size === 0) return;
  const ids = [...deltas.keys()].sort();
  await lockSessions(trx, dialect, projectId, ids);
  const current = new Map<string, SessionRow>();
  for (const part of chunks(ids)) {
    const rows = await trx
      .selectFrom("sessions")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("id", "in", part)
      .execute();
    for (const row of rows) current.set(row.id, row);
  }
  const upserts: Array<Omit<SessionRow, "notes">> = [];
  const emptied: string[] = [];
  const starts: Array<{ from: number | null; to: number | null }> = [];
  for (const id of ids) {
    const delta = deltas.get(id)!;
    const kept = current.get(id);
    const length = Number(kept?.session_length ?? 0) + delta.length;
    if (length <= 0) {
      if (kept) {
        emptied.push(id);
        starts.push({ from: Number(kept.created_at), to: null });
      }
      continue;
    }
    const first = await edge(trx, projectId, id, delta, kept, "first");
    const last = await edge(trx, projectId, id, delta, kept, "last");
    const userId = await sessionUser(trx, projectId, id, delta, kept);
    const values = {
      created_at: first.created_at,
      last_message_ts: last.created_at,
      session_length: length,
      first_task_id: first.id,
      last_task_id: last.id,
      preview: first.preview,
      user_id: userId,
      prompt_tokens: Number(kept?.prompt_tokens ?? 0) + delta.prompt,
      completion_tokens: Number(kept?.completion_tokens ?? 0) + delta.completion,
      total_tokens: Number(kept?.total_tokens ?? 0) + delta.total,
      success_count: Number(kept?.success_count ?? 0) + delta.success,
      failure_count: Number(kept?.failure_count ?? 0) + delta.failure,
      first_received_at: first.received_at,
      last_received_at: last.received_at,
      cost_nano: Number(kept?.cost_nano ?? 0) + delta.cost,
    };
    if (!kept || Number(kept.created_at) !== first.created_at) {
      starts.push({ from: kept ? Number(kept.created_at) : null, to: first.created_at });
    }
    upserts.push({
      project_id: projectId,
      id,
      ...values,
      metadata: sessionMetadata(parseObject(kept?.metadata ?? null), values),
    });
  }
  await writeSessions(trx, upserts, emptied, projectId);
  await applySessionStartChanges(trx, projectId, starts, shard);
}

function keptEdge(kept: SessionRow | undefined, which: "first" | "last"): Edge | null {
  if (!kept) return null;
  const id = which === "first" ? kept.first_task_id : kept.last_task_id;
  const received = which === "first" ? kept.first_received_at : kept.last_received_at;
  if (id === null || received === null) return null;
  return {
    id,
    created_at: Number(which === "first" ? kept.created_at : kept.last_message_ts),
    received_at: Number(received),
    preview: kept.preview,
  };
}

/** The first (asc) or last (desc) task: the kept one against the arrivals, or read from the index. */
async function edge(
  trx: Transaction<Database>,
  projectId: string,
  sessionId: string,
  delta: Delta,
  session: SessionRow | undefined,
  which: "first" | "last",
): Promise<Edge> {
  const direction = which === "first" ? "asc" : "desc";
  const kept = keptEdge(session, which);
  // A new session holds only arrivals; a kept edge stands unless that very task changed.
  if (!session || (kept !== null && !delta.left.has(kept.id))) {
    let best = kept;
    for (const task of delta.arrived) {
      const candidate = edgeOf(task);
      const order = best === null ? -1 : compareEdges(candidate, best) * (which === "first" ? 1 : -1);
      if (order < 0) best = candidate;
    }
    if (best) return best;
  }
  const row = await trx
    .selectFrom("tasks")
    .select([
      "id",
      "created_at",
      "received_at",
      sql<string>`substr(input, 1, ${sql.lit(PREVIEW_CHARS)})`.as("input"),
    ])
    .where("project_id", "=", projectId)
    .where("session_id", "=", sessionId)
    .orderBy("created_at", direction)
    .orderBy("received_at", direction)
    .orderBy("id", direction)
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    created_at: Number(row.created_at),
    received_at: Number(row.received_at),
    preview: preview(row.input),
  };
}

/**
 * The user of the session's earliest task that has one. Unchanged when no changed task carries a user; known
 * without a read for a new session (all its tasks are arrivals) and when tasks are only appended after the kept
 * last task to a session that has a user (the usual case); otherwise read from the session index.
 */
async function sessionUser(
  trx: Transaction<Database>,
  projectId: string,
  sessionId: string,
  delta: Delta,
  kept: SessionRow | undefined,
): Promise<string | null> {
  if (!delta.userTouched) return kept?.user_id ?? null;
  const arrivals = [...delta.arrived].sort((a, b) => compareEdges(edgeOf(a), edgeOf(b)));
  if (!kept) return arrivals.find((task) => task.user_id !== null)?.user_id ?? null;
  const last = keptEdge(kept, "last");
  const appended =
    delta.left.size === 0 && last !== null && arrivals.every((task) => compareEdges(edgeOf(task), last) > 0);
  if (appended && kept.user_id !== null) return kept.user_id;
  if (appended) return arrivals.find((task) => task.user_id !== null)?.user_id ?? null;
  return firstUser(trx, projectId, sessionId);
}

/** The user of the session's earliest task that has one: walks the session index from its start. */
async function firstUser(trx: Transaction<Database>, projectId: string, sessionId: string) {
  const row = await trx
    .selectFrom("tasks")
    .select("user_id")
    .where("project_id", "=", projectId)
    .where("session_id", "=", sessionId)
    .where("user_id", "is not", null)
    .orderBy("created_at")
    .orderBy("received_at")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

async function writeSessions(
  trx: Transaction<Database>,
  upserts: Array<Omit<SessionRow, "notes">>,
  emptied: string[],
  projectId: string,
): Promise<void> {
  for (const part of chunks(upserts, 200)) {
    await trx
      .insertInto("sessions")
      .values(part.map((row) => ({ ...row, notes: null })))
      .onConflict((conflict) =>
        conflict.columns(["project_id", "id"]).doUpdateSet((eb) => ({
          created_at: eb.ref("excluded.created_at"),
          last_message_ts: eb.ref("excluded.last_message_ts"),
          session_length: eb.ref("excluded.session_length"),
          first_task_id: eb.ref("excluded.first_task_id"),
          last_task_id: eb.ref("excluded.last_task_id"),
          preview: eb.ref("excluded.preview"),
          user_id: eb.ref("excluded.user_id"),
          metadata: eb.ref("excluded.metadata"),
          prompt_tokens: eb.ref("excluded.prompt_tokens"),
          completion_tokens: eb.ref("excluded.completion_tokens"),
          total_tokens: eb.ref("excluded.total_tokens"),
          success_count: eb.ref("excluded.success_count"),
          failure_count: eb.ref("excluded.failure_count"),
          first_received_at: eb.ref("excluded.first_received_at"),
          last_received_at: eb.ref("excluded.last_received_at"),
          cost_nano: eb.ref("excluded.cost_nano"),
        })),
      )
      .execute();
  }
  for (const part of chunks(emptied)) {
    await trx.deleteFrom("sessions").where("project_id", "=", projectId).where("id", "in", part).execute();
  }
}

/**
 * Recomputes one session from its tasks in the database, inside the writing transaction (feedback and owner
 * edits; the ingest path does the same for many sessions at once in memory). Recomputing instead of
 * incrementing is what makes a re-sent batch count nothing twice.
 */
import { sql, type Transaction } from "kysely";
import { parseObject } from "./derive.js";
import type { Database } from "./schema.js";
import { PREVIEW_CHARS, sessionMetadata, sessionValues } from "./session-stats.js";
import type { Dialect } from "./types.js";

/** What a session's statistics need of each task; only the preview's worth of the input. */
export const MEMBER_COLUMNS = [
  "id",
  "session_id",
  "created_at",
  "received_at",
  sql<string>`substr(input, 1, ${sql.lit(PREVIEW_CHARS)})`.as("input"),
  "user_id",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "flag",
  "task_position",
  "is_last_task",
] as const;

/**
 * PostgreSQL transaction-scoped advisory locks, taken in one statement in sorted order. Every writer takes them in
 * the same order (session locks, then row locks, then task-arrival locks) so that two replicas never wait on each
 * other in a cycle. SQLite has one writer at a time and needs none.
 *
 * Keys are hashed onto LOCK_STRIPES stripes per kind (`space`), so one transaction holds at most that many locks
 * of a kind, however many sessions or tasks its batch touches: a lock per key ran PostgreSQL's shared lock table
 * out of memory ("out of shared memory") at about 7,000 sessions in one batch, within the 10,000-event limit. Two
 * keys on one stripe only wait for each other.
 */
const LOCK_STRIPES = 512;
const SESSION_LOCKS = 1;
const TASK_ARRIVAL_LOCKS = 2;

async function advisoryLocks(
  trx: Transaction<Database>,
  dialect: Dialect,
  space: number,
  keys: string[],
): Promise<void> {
  if (dialect !== "postgres" || keys.length === 0) return;
  const unique = [...new Set(keys)];
  await sql`SELECT count(pg_advisory_xact_lock(${space}::int, s)) FROM (SELECT DISTINCT (hashtext(k) & ${LOCK_STRIPES - 1}::int) AS s FROM unnest(${unique}::text[]) AS k ORDER BY 1) AS stripes`.execute(
    trx,
  );
}

/** Serialises the recomputation of these sessions. */
export function lockSessions(trx: Transaction<Database>, dialect: Dialect, projectId: string, ids: string[]) {
  return advisoryLocks(
    trx,
    dialect,
    SESSION_LOCKS,
    ids.map((id) => `${projectId}\u0001${id}`),
  );
}

/**
 * Serialises the arrival of a task with feedback waiting for it: without it, feedback written while the task is
 * being inserted by another replica could be left pending forever.
 */
export function lockTaskArrival(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  ids: string[],
) {
  return advisoryLocks(
    trx,
    dialect,
    TASK_ARRIVAL_LOCKS,
    ids.map((id) => `${projectId}\u0001${id}`),
  );
}

export async function recomputeSession(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  sessionId: string,
): Promise<void> {
  await lockSessions(trx, dialect, projectId, [sessionId]);
  const members = await trx
    .selectFrom("tasks")
    .select(MEMBER_COLUMNS)
    .where("project_id", "=", projectId)
    .where("session_id", "=", sessionId)
    .execute();
  if (members.length === 0) {
    await trx
      .deleteFrom("sessions")
      .where("project_id", "=", projectId)
      .where("id", "=", sessionId)
      .execute();
    return;
  }
  const values = sessionValues(members);
  for (const [index, task] of members.entries()) {
    const position = index + 1;
    const isLast = index === members.length - 1 ? 1 : 0;
    if (task.task_position !== position || task.is_last_task !== isLast) {
      await trx
        .updateTable("tasks")
        .set({ task_position: position, is_last_task: isLast })
        .where("project_id", "=", projectId)
        .where("id", "=", task.id)
        .execute();
    }
  }
  const previous = await trx
    .selectFrom("sessions")
    .select("metadata")
    .where("project_id", "=", projectId)
    .where("id", "=", sessionId)
    .executeTakeFirst();
  const row = { ...values, metadata: sessionMetadata(parseObject(previous?.metadata ?? null), values) };
  await trx
    .insertInto("sessions")
    .values({ project_id: projectId, id: sessionId, notes: null, ...row })
    .onConflict((conflict) => conflict.columns(["project_id", "id"]).doUpdateSet(row))
    .execute();
}

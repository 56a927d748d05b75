/**
 * The locks that serialise writers of one session or of one task's arrival on PostgreSQL (session totals are
 * updated incrementally in session-totals.ts, under these locks).
 */
import { sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";
import type { Dialect } from "./types.js";

/**
 * PostgreSQL transaction-scoped advisory locks, taken in one statement in sorted order. Every writer takes them in
 * the same order (task-steps locks, then session locks, then row locks, then task-arrival locks) so that two
 * replicas never wait on each other in a cycle. SQLite has one writer at a time and needs none.
 *
 * Keys are hashed onto LOCK_STRIPES stripes per kind (`space`), so one transaction holds at most that many locks
 * of a kind, however many sessions or tasks its batch touches: a lock per key ran PostgreSQL's shared lock table
 * out of memory ("out of shared memory") at about 7,000 sessions in one batch, within the 10,000-event limit. Two
 * keys on one stripe only wait for each other.
 */
const LOCK_STRIPES = 512;
const SESSION_LOCKS = 1;
const TASK_ARRIVAL_LOCKS = 2;
const TASK_STEPS_LOCKS = 3;

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

/** The locks of one kind for these ids of one project (ids are unique within a project only). */
function projectLocks(
  trx: Transaction<Database>,
  dialect: Dialect,
  space: number,
  projectId: string,
  ids: string[],
) {
  return advisoryLocks(
    trx,
    dialect,
    space,
    ids.map((id) => `${projectId}\u0001${id}`),
  );
}

/** Serialises the recomputation of these sessions. */
export function lockSessions(trx: Transaction<Database>, dialect: Dialect, projectId: string, ids: string[]) {
  return projectLocks(trx, dialect, SESSION_LOCKS, projectId, ids);
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
  return projectLocks(trx, dialect, TASK_ARRIVAL_LOCKS, projectId, ids);
}

/**
 * Serialises the writers of one task's steps (an OTLP trace's spans and log records): each reads the rows the
 * others wrote (log records joined to a span, the task recomputed from every step), so two replicas writing
 * parts of one trace at once would otherwise each miss the other's part.
 */
export function lockTaskSteps(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  ids: string[],
) {
  return projectLocks(trx, dialect, TASK_STEPS_LOCKS, projectId, ids);
}

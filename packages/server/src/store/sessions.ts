/**
 * The locks that serialise writers of one session or of one task's arrival on PostgreSQL (session totals are
 * updated incrementally in session-totals.ts, under these locks).
 */
import { sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";
import type { Dialect } from "./types.js";

/**
 * PostgreSQL transaction-scoped advisory locks, taken in one statement in sorted order. Every writer takes them in
 * the same order (session locks, then row locks, then task-arrival locks) so that two replicas never wait on each
 * other in a cycle. SQLite has one writer at a time and needs none.
 */
async function advisoryLocks(trx: Transaction<Database>, dialect: Dialect, keys: string[]): Promise<void> {
  if (dialect !== "postgres" || keys.length === 0) return;
  const sorted = [...new Set(keys)].sort();
  await sql`SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT unnest(${sorted}::text[]) AS k ORDER BY 1) AS keys`.execute(
    trx,
  );
}

/** Serialises the recomputation of these sessions. */
export function lockSessions(trx: Transaction<Database>, dialect: Dialect, projectId: string, ids: string[]) {
  return advisoryLocks(
    trx,
    dialect,
    ids.map((id) => `s\u0001${projectId}\u0001${id}`),
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
    ids.map((id) => `t\u0001${projectId}\u0001${id}`),
  );
}

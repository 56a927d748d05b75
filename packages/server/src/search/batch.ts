/**
 * One step of the indexer on SQLite, inside a write transaction: the first `rows` pending rowids (migration 013)
 * are taken out of the full-text index, put back with their task's current text when the task still exists, and
 * struck off the pending log. Nothing else writes meanwhile (the store has one writer), so the three statements
 * see the same rows; running a step twice changes nothing.
 */
import { sql, type Kysely } from "kysely";
import { onMainConnection } from "../store/index.js";
import type { Database } from "../store/schema.js";

export interface SearchLag {
  /** Task writes not yet in the full-text index (inserts, text changes and deletions). */
  pending: number;
  /** When the oldest of them was written (ms since the epoch); null when none waits. */
  oldestAt: number | null;
}

/** Indexes up to `rows` pending tasks; resolves to how many pending rows it cleared (0: none was waiting). */
export async function indexPending(trx: Kysely<Database>, rows: number): Promise<number> {
  const last = await sql<{ task_rowid: number; n: number }>`
    SELECT max(task_rowid) AS task_rowid, count(*) AS n
    FROM (SELECT task_rowid FROM search_pending ORDER BY task_rowid LIMIT ${rows})`.execute(trx);
  const through = last.rows[0]?.task_rowid;
  if (through === undefined || through === null) return 0;
  await sql`DELETE FROM tasks_fts WHERE rowid IN (SELECT task_rowid FROM search_pending WHERE task_rowid <= ${through})`.execute(
    trx,
  );
  await sql`INSERT INTO tasks_fts (rowid, input, output)
    SELECT tasks.rowid, tasks.input, tasks.output FROM search_pending
    JOIN tasks ON tasks.rowid = search_pending.task_rowid
    WHERE search_pending.task_rowid <= ${through}`.execute(trx);
  await sql`DELETE FROM search_pending WHERE task_rowid <= ${through}`.execute(trx);
  return Number(last.rows[0]!.n);
}

/**
 * How far behind the index is. Reads the whole log: cheap while it is short, which is the indexer's job. On the
 * collector's own connection, like every probe that must answer while costly reads hold the reader processes.
 */
export async function readLag(db: Kysely<Database>): Promise<SearchLag> {
  const result = await sql<{ n: number; oldest: number | null }>`
    SELECT ${onMainConnection} count(*) AS n, min(queued_at) AS oldest FROM search_pending`.execute(db);
  const row = result.rows[0];
  return { pending: Number(row?.n ?? 0), oldestAt: row?.oldest ?? null };
}

/** Whether any task waits, by one index probe (the idle poll). */
export async function anyPending(db: Kysely<Database>): Promise<boolean> {
  const result = await sql`SELECT ${onMainConnection} 1 FROM search_pending LIMIT 1`.execute(db);
  return result.rows.length > 0;
}

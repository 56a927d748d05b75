/**
 * One step of the indexer on SQLite, inside a write transaction: the first pending rowids (migration 013)
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

/** What one step indexed. */
export interface StepResult {
  /** Pending rows cleared (0: none was waiting). */
  rows: number;
  /** Bytes of text they hold (a deleted task's: none). */
  bytes: number;
  /** Whether a limit cut the step short, so that more rows were waiting. */
  full: boolean;
}

/**
 * Indexes up to `maxRows` pending tasks holding up to `maxBytes` of text (at least one task, however long: a
 * step's cost follows the text, and a task of a megabyte costs as much as a thousand short ones).
 */
export async function indexPending(
  trx: Kysely<Database>,
  maxRows: number,
  maxBytes: number,
): Promise<StepResult> {
  // octet_length reads a value's size from its record header: no overflow page is loaded to decide.
  const waiting = await sql<{ task_rowid: number; bytes: number }>`
    SELECT search_pending.task_rowid,
      coalesce(octet_length(tasks.input), 0) + coalesce(octet_length(tasks.output), 0) AS bytes
    FROM search_pending LEFT JOIN tasks ON tasks.rowid = search_pending.task_rowid
    ORDER BY search_pending.task_rowid LIMIT ${maxRows + 1}`.execute(trx);
  let rows = 0;
  let bytes = 0;
  for (const row of waiting.rows) {
    if (rows === maxRows || (rows > 0 && bytes + Number(row.bytes) > maxBytes)) break;
    rows += 1;
    bytes += Number(row.bytes);
  }
  if (rows === 0) return { rows: 0, bytes: 0, full: false };
  const through = waiting.rows[rows - 1]!.task_rowid;
  await sql`DELETE FROM tasks_fts WHERE rowid IN (SELECT task_rowid FROM search_pending WHERE task_rowid <= ${through})`.execute(
    trx,
  );
  // CROSS JOIN: the log drives, each task by its rowid. A plain JOIN let the planner walk `tasks` by rowid up to
  // `through` (the whole table, when the newest tasks are the pending ones) and probe the log for each.
  await sql`INSERT INTO tasks_fts (rowid, input, output)
    SELECT tasks.rowid, tasks.input, tasks.output FROM search_pending
    CROSS JOIN tasks ON tasks.rowid = search_pending.task_rowid
    WHERE search_pending.task_rowid <= ${through}`.execute(trx);
  await sql`DELETE FROM search_pending WHERE task_rowid <= ${through}`.execute(trx);
  return { rows, bytes, full: waiting.rows.length > rows };
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

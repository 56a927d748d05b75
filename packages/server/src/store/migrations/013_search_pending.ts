/**
 * Search off the commit path (issue 11). Until now SQLite indexed every task's trigrams in the ingest transaction
 * (the triggers of 002_search): about half of an insert's CPU. From here a task write only notes its rowid in
 * `search_pending` (one small B-tree insert, by trigger, so that every writer is covered); the indexer
 * (`src/search/`) moves pending rows into the full-text index in small transactions of the single writer, and
 * searches add a plain scan of the pending rows, so a task is findable the moment its write commits.
 *
 * The full-text table becomes contentless with `contentless_delete=1` (SQLite 3.43+): the indexer can delete a
 * rowid without knowing the text it was indexed with, which the old external-content table required (and which
 * is gone once the task has changed). Indexing a rowid is then always "delete it, insert the task's current
 * text if the task exists", whatever happened to the task in between, and doing it twice changes nothing.
 *
 * Existing tasks: the new index starts empty and every task is marked pending, so the migration takes no longer
 * than a copy of the rowids; search stays exact meanwhile (pending rows are scanned) and the indexer catches up
 * in the background. Rowids: `tasks` has no INTEGER PRIMARY KEY, so a manual VACUUM may renumber them; after one,
 * run `DELETE FROM tasks_fts; INSERT OR IGNORE INTO search_pending SELECT rowid, 0 FROM tasks;` (the collector
 * never vacuums).
 *
 * PostgreSQL keeps its GIN trigram index (002_search) for now. Its fast update defers the tree update to a pending
 * list, but extracting and listing each row's trigrams still happens at commit (docs/ARCHITECTURE.md has the
 * measure); the same log would serve it later.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

/** The current time in ms, inside a trigger (which takes no parameters); julianday works on every SQLite. */
export const SQLITE_NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/**
 * The three triggers that log a task's change. The bench seeder drops and restores them by name around a bulk
 * load (bench/suites/queries/seed.ts).
 */
export const SEARCH_PENDING_TRIGGERS = [
  `CREATE TRIGGER search_pending_insert AFTER INSERT ON tasks BEGIN
    INSERT OR IGNORE INTO search_pending (task_rowid, queued_at) VALUES (new.rowid, ${SQLITE_NOW_MS});
  END`,
  `CREATE TRIGGER search_pending_update AFTER UPDATE OF input, output ON tasks
    WHEN old.input IS NOT new.input OR old.output IS NOT new.output BEGIN
    INSERT OR IGNORE INTO search_pending (task_rowid, queued_at) VALUES (new.rowid, ${SQLITE_NOW_MS});
  END`,
  `CREATE TRIGGER search_pending_delete AFTER DELETE ON tasks BEGIN
    INSERT OR IGNORE INTO search_pending (task_rowid, queued_at) VALUES (old.rowid, ${SQLITE_NOW_MS});
  END`,
];

export const searchPending: Migration = {
  name: "013_search_pending",
  async up(db, dialect) {
    if (dialect !== "sqlite") return;
    for (const trigger of ["tasks_fts_insert", "tasks_fts_delete", "tasks_fts_update"]) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
    }
    await sql`DROP TABLE IF EXISTS tasks_fts`.execute(db);
    await sql`CREATE VIRTUAL TABLE tasks_fts USING fts5(input, output, content='', contentless_delete=1, tokenize='trigram')`.execute(
      db,
    );
    // A task's rowid, and since when (ms) it has waited: the first change counts, later ones join it.
    await sql`CREATE TABLE search_pending (task_rowid INTEGER PRIMARY KEY, queued_at INTEGER NOT NULL)`.execute(
      db,
    );
    for (const trigger of SEARCH_PENDING_TRIGGERS) await sql.raw(trigger).execute(db);
    await sql
      .raw(`INSERT INTO search_pending (task_rowid, queued_at) SELECT rowid, ${SQLITE_NOW_MS} FROM tasks`)
      .execute(db);
  },
};

/**
 * Full-text search over input and output, as docs/ARCHITECTURE.md specifies.
 * SQLite: an FTS5 trigram table with external content on `tasks` (by rowid), synced by triggers. The tasks table
 * has no INTEGER PRIMARY KEY, so a VACUUM could renumber rowids: after a manual VACUUM, run
 * `INSERT INTO tasks_fts(tasks_fts) VALUES('rebuild')`. The collector never vacuums.
 * PostgreSQL: pg_trgm and a GIN trigram index on `input || ' ' || coalesce(output, '')`. Without the rights to
 * create the extension, search still works (sequential ILIKE) and a warning says why it is slower.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

export const search: Migration = {
  name: "002_search",
  async up(db, dialect, warn) {
    if (dialect === "sqlite") {
      await sql`CREATE VIRTUAL TABLE tasks_fts USING fts5(input, output, content='tasks', content_rowid='rowid', tokenize='trigram')`.execute(
        db,
      );
      await sql`CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
        INSERT INTO tasks_fts(rowid, input, output) VALUES (new.rowid, new.input, new.output);
      END`.execute(db);
      await sql`CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
        INSERT INTO tasks_fts(tasks_fts, rowid, input, output) VALUES ('delete', old.rowid, old.input, old.output);
      END`.execute(db);
      await sql`CREATE TRIGGER tasks_fts_update AFTER UPDATE OF input, output ON tasks BEGIN
        INSERT INTO tasks_fts(tasks_fts, rowid, input, output) VALUES ('delete', old.rowid, old.input, old.output);
        INSERT INTO tasks_fts(rowid, input, output) VALUES (new.rowid, new.input, new.output);
      END`.execute(db);
      return;
    }
    await sql`SAVEPOINT phospho_trgm`.execute(db);
    try {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
      await sql`CREATE INDEX tasks_search_trgm ON tasks USING gin ((input || ' ' || coalesce(output, '')) gin_trgm_ops)`.execute(
        db,
      );
      await sql`RELEASE SAVEPOINT phospho_trgm`.execute(db);
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT phospho_trgm`.execute(db);
      warn(
        `full-text index not created (${(error as Error).message}); search works but scans: ` +
          "run CREATE EXTENSION pg_trgm as a superuser, then restart",
      );
    }
  },
};

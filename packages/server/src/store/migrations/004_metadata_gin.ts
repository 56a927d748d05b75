/**
 * PostgreSQL only: a GIN index on the metadata document, so that a dashboard `meta=key=value` filter
 * (`metadata::jsonb @> '{"key": value}'`, see dashboard/queries/where.ts) finds its rows without parsing every
 * task's JSON text. `jsonb_path_ops` is the smaller GIN flavour and serves `@>`, the only operator used.
 * The cast cannot fail on stored rows: the collector removes NULs (which jsonb rejects) before storing.
 * SQLite has no such index; its filter reads `json_extract` per row.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

export const metadataGin: Migration = {
  name: "004_metadata_gin",
  async up(db, dialect) {
    if (dialect !== "postgres") return;
    await sql`CREATE INDEX IF NOT EXISTS tasks_metadata_gin ON tasks USING gin ((metadata::jsonb) jsonb_path_ops)`.execute(
      db,
    );
  },
};

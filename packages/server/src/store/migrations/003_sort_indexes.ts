/**
 * Indexes that carry the dashboard's full sort key `(…, created_at, received_at, id)`, so a user's or a
 * session's tasks come back in page order straight from the index instead of being sorted, and sorts by latency
 * or tokens (written `coalesce(col, -1)` by the keyset cursor) need not scan the project. Expression indexes
 * work on both engines.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

const TASK_INDEXES: ReadonlyArray<[name: string, columns: string]> = [
  ["tasks_user_page", "project_id, user_id, created_at, received_at, id"],
  ["tasks_session_page", "project_id, session_id, created_at, received_at, id"],
  ["tasks_latency_page", "project_id, coalesce(latency_ms, -1), created_at, received_at, id"],
  ["tasks_tokens_page", "project_id, coalesce(total_tokens, -1), created_at, received_at, id"],
];

export const sortIndexes: Migration = {
  name: "003_sort_indexes",
  async up(db) {
    for (const [name, columns] of TASK_INDEXES) {
      await sql`CREATE INDEX IF NOT EXISTS ${sql.id(name)} ON tasks (${sql.raw(columns)})`.execute(db);
    }
    await sql`CREATE INDEX IF NOT EXISTS sessions_user_activity ON sessions (project_id, user_id, last_message_ts, id)`.execute(
      db,
    );
    // The narrower indexes these supersede would only cost writes.
    for (const old of ["tasks_user", "tasks_session", "sessions_user"]) {
      await sql`DROP INDEX IF EXISTS ${sql.id(old)}`.execute(db);
    }
  },
};

/**
 * Security (issue 13): server-side dashboard sessions, revocable one by one or by the key that opened them, and
 * the mark that tells key-less feedback (anyone who knows a project id) from the owner's, so that key-less feedback
 * never overwrites what the owner wrote, and the (hashed) client address of key-less feedback, so that one address
 * cannot use up a project's allowance of feedback waiting for its task.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

export const security: Migration = {
  name: "007_security",
  async up(db) {
    await db.schema
      .alterTable("evals")
      .addColumn("keyless", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable("evals").addColumn("client", "text").execute();
    await sql`CREATE INDEX IF NOT EXISTS evals_pending_client ON evals (project_id, client) WHERE applied = 0`.execute(
      db,
    );
    await db.schema
      .createTable("dashboard_sessions")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("revoked_at", "bigint")
      .execute();
    await db.schema
      .createTable("dashboard_session_keys")
      .addColumn("session_hash", "text", (c) => c.notNull())
      .addColumn("key_id", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("dashboard_session_keys_pk", ["session_hash", "key_id"])
      .execute();
    await db.schema
      .createIndex("dashboard_session_keys_key")
      .on("dashboard_session_keys")
      .column("key_id")
      .execute();
  },
};

/**
 * Applies pending migrations in one transaction. Two processes may start at once (replicas on PostgreSQL, or a
 * CLI command beside a running server on SQLite): PostgreSQL serialises them with a transaction-scoped advisory
 * lock, SQLite with BEGIN IMMEDIATE; the second one then sees the migrations already recorded.
 */
import { sql, type Kysely } from "kysely";
import { MIGRATIONS, type Migration } from "./migrations/index.js";
import type { Database } from "./schema.js";
import type { Dialect } from "./types.js";

const ADVISORY_LOCK_ID = 7_878_001;

export async function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  warn: (message: string) => void,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN").execute(conn);
    try {
      if (dialect === "postgres") await sql`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_ID})`.execute(conn);
      await sql`CREATE TABLE IF NOT EXISTS phospho_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)`.execute(
        conn,
      );
      const rows = await sql<{ name: string }>`SELECT name FROM phospho_migrations`.execute(conn);
      const done = new Set(rows.rows.map((row) => row.name));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await migration.up(conn, dialect, warn);
        await sql`INSERT INTO phospho_migrations (name, applied_at) VALUES (${migration.name}, ${Date.now()})`.execute(
          conn,
        );
        applied.push(migration.name);
      }
      await sql`COMMIT`.execute(conn);
      return applied;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => {});
      throw error;
    }
  });
}

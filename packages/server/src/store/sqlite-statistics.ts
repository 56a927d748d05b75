/**
 * Planner statistics for SQLite, as SQLite advises for long-lived connections: `PRAGMA optimize` when the store
 * opens and before it closes. `analysis_limit` bounds the work (ANALYZE samples about that many rows per index),
 * so a start on a million-task file stays quick. Without statistics the planner guesses, and the dashboard
 * engineer measured it choosing the project-wide time index over a user's own index as the data grew.
 */
import { sql, type Kysely } from "kysely";
import { isDiskFull } from "./disk-full.js";
import type { Database } from "./schema.js";

export async function refreshSqliteStatistics(db: Kysely<Database>): Promise<void> {
  await sql`PRAGMA analysis_limit = 1000`.execute(db);
  try {
    // 0x10002: also analyse tables that have never been analysed, which a plain optimize leaves alone.
    await sql`PRAGMA optimize = 0x10002`.execute(db);
  } catch (error) {
    // Statistics are an optimisation: a full disk must not stop the store from opening (read-only) or closing.
    if (!isDiskFull(error)) throw error;
  }
}

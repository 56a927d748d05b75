/**
 * A partial index over the feedback still waiting for its task, so the collector can count a project's pending
 * feedback (bounded for key-less callers) without reading its whole history. Partial indexes work on both engines.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

export const pendingFeedback: Migration = {
  name: "005_pending_feedback",
  async up(db) {
    await sql`CREATE INDEX IF NOT EXISTS evals_pending ON evals (project_id) WHERE applied = 0`.execute(db);
  },
};

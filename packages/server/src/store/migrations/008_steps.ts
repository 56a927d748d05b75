/**
 * The `steps` table: the spans of a task (OTLP spans, or steps sent on `/v2/log`), keyed by
 * `(project_id, task_id, id)`. `has_span` is 0 for a row that holds only OTLP log records that arrived before
 * their span; such rows are not steps yet and are never listed or counted.
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

export const steps: Migration = {
  name: "008_steps",
  async up(db) {
    await db.schema
      .createTable("steps")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("parent_id", "text")
      .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("kind", "text", (c) => c.notNull().defaultTo("other"))
      .addColumn("started_at", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("ended_at", "bigint")
      .addColumn("model", "text")
      .addColumn("prompt_tokens", "bigint")
      .addColumn("completion_tokens", "bigint")
      .addColumn("total_tokens", "bigint")
      .addColumn("cache_read_tokens", "bigint")
      .addColumn("cache_write_tokens", "bigint")
      .addColumn("reasoning_tokens", "bigint")
      .addColumn("ttft_ms", "bigint")
      .addColumn("input", "text")
      .addColumn("output", "text")
      .addColumn("status", "text", (c) => c.notNull().defaultTo("unset"))
      .addColumn("error", "text")
      .addColumn("attributes", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("logs", "text")
      .addColumn("has_span", "integer", (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint("steps_pkey", ["project_id", "task_id", "id"])
      .execute();
    // Reads list a task's steps in time order.
    await sql`CREATE INDEX IF NOT EXISTS steps_task_time ON steps (project_id, task_id, started_at)`.execute(
      db,
    );
  },
};

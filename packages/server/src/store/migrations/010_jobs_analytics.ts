/**
 * The durable job runner and offline-first analytics (issue 10):
 * - `jobs`: the queue, leased (`locked_until`) so that a killed worker's jobs come back; `unique_key` makes
 *   enqueueing idempotent (a job is never queued twice for the same work);
 * - `analytics_watermarks`: per project, the last `(updated_at, id)` of `tasks` handed to the runner;
 * - `task_analytics`: language and sentiment of every task's input;
 * - `event_definitions`, `detections` (one per task × definition × definition version: a unique key),
 *   `backfills` (progress of a back-fill), `model_endpoints` (the project's OpenAI-compatible endpoint),
 *   `judge_settings` (the optional LLM judge).
 */
import { sql } from "kysely";
import type { Migration } from "./types.js";

export const jobsAnalytics: Migration = {
  name: "010_jobs_analytics",
  async up(db) {
    await db.schema
      .createTable("jobs")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("unique_key", "text", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("max_attempts", "integer", (c) => c.notNull())
      .addColumn("run_at", "bigint", (c) => c.notNull())
      .addColumn("locked_by", "text")
      .addColumn("locked_until", "bigint")
      .addColumn("last_error", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("jobs_pk", ["project_id", "id"])
      .execute();
    await sql`CREATE UNIQUE INDEX jobs_unique ON jobs (project_id, unique_key)`.execute(db);
    // The claim reads only claimable rows: queued ones by run time, running ones by lease end.
    await sql`CREATE INDEX jobs_queued ON jobs (run_at) WHERE status = 'queued'`.execute(db);
    await sql`CREATE INDEX jobs_leased ON jobs (locked_until) WHERE status = 'running'`.execute(db);
    await db.schema.createIndex("jobs_status").on("jobs").columns(["project_id", "status"]).execute();

    await db.schema
      .createTable("analytics_watermarks")
      .addColumn("project_id", "text", (c) => c.primaryKey())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("task_id", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("tasks_updated")
      .on("tasks")
      .columns(["project_id", "updated_at", "id"])
      .execute();

    await db.schema
      .createTable("task_analytics")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text", (c) => c.notNull())
      .addColumn("session_id", "text")
      .addColumn("language", "text")
      .addColumn("sentiment_score", "double precision")
      .addColumn("sentiment_label", "text")
      .addColumn("analyzed_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("task_analytics_pk", ["project_id", "task_id"])
      .execute();
    await db.schema
      .createIndex("task_analytics_session")
      .on("task_analytics")
      .columns(["project_id", "session_id"])
      .execute();

    await db.schema
      .createTable("event_definitions")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("detector", "text", (c) => c.notNull())
      .addColumn("config", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("webhook_url", "text")
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("event_definitions_pk", ["project_id", "id"])
      .execute();

    await db.schema
      .createTable("detections")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text", (c) => c.notNull())
      .addColumn("definition_id", "text", (c) => c.notNull())
      .addColumn("definition_version", "integer", (c) => c.notNull())
      .addColumn("session_id", "text")
      .addColumn("present", "integer", (c) => c.notNull())
      .addColumn("label", "text")
      .addColumn("score", "double precision")
      .addColumn("confidence", "double precision", (c) => c.notNull().defaultTo(1))
      .addColumn("review", "text")
      .addColumn("corrected_label", "text")
      .addColumn("corrected_score", "double precision")
      .addColumn("reviewed_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("detections_pk", [
        "project_id",
        "task_id",
        "definition_id",
        "definition_version",
      ])
      .execute();
    await db.schema
      .createIndex("detections_definition")
      .on("detections")
      .columns(["project_id", "definition_id", "created_at"])
      .execute();
    // Session filters: "a task of this session (or the session) has the event".
    await db.schema
      .createIndex("detections_session")
      .on("detections")
      .columns(["project_id", "session_id", "definition_id"])
      .execute();

    await db.schema
      .createTable("backfills")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("definition_id", "text")
      .addColumn("filters", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("total", "integer", (c) => c.notNull())
      .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("finished_at", "bigint")
      .addPrimaryKeyConstraint("backfills_pk", ["project_id", "id"])
      .execute();

    await db.schema
      .createTable("model_endpoints")
      .addColumn("project_id", "text", (c) => c.primaryKey())
      .addColumn("base_url", "text", (c) => c.notNull())
      // The project's own provider key: needed in clear to call the endpoint, never returned nor logged.
      .addColumn("api_key", "text")
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("judge_settings")
      .addColumn("project_id", "text", (c) => c.primaryKey())
      .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("guidelines", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("sample_rate", "double precision", (c) => c.notNull().defaultTo(1))
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
};

/**
 * Aggregates kept at ingest and project prices (issue 11): hourly buckets by project × model × version × environment × flag, their
 * latency histogram, a per-user table, and the session columns that let session totals change incrementally
 * (the first and last task's full sort key). Each writer adds its deltas to its own `shard` of a bucket, so two
 * replicas never queue on one hot row; reads sum the shards. Existing data is folded in once, here.
 */
import { sql } from "kysely";
import { rebuildAggregates } from "../../aggregates/rebuild.js";
import { repriceMarker } from "../../pricing/reprice.js";
import type { Migration } from "./types.js";

/** Dimension columns of a bucket; null is stored as '' and a value with a '=' prefix (see aggregates/keys.ts). */
const BUCKET_KEY = ["project_id", "hour", "model", "version_id", "environment", "flag", "shard"];

const SUMS = [
  "tasks",
  "success",
  "failure",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_nano",
  "cost_tasks",
  "tokens_count",
  "latency_count",
  "latency_sum",
];

export const aggregates: Migration = {
  name: "009_aggregates",
  async up(db) {
    // Two tables of the same buckets: hourly, and the same sums per UTC day (`hour` holds the day's first ms), so
    // that whole days of a range read 24× fewer rows.
    for (const table of ["agg_hourly", "agg_daily"]) {
      let bucket = db.schema
        .createTable(table)
        .addColumn("project_id", "text", (c) => c.notNull())
        .addColumn("hour", "bigint", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("version_id", "text", (c) => c.notNull())
        .addColumn("environment", "text", (c) => c.notNull())
        .addColumn("flag", "text", (c) => c.notNull())
        .addColumn("shard", "integer", (c) => c.notNull());
      for (const name of SUMS) bucket = bucket.addColumn(name, "bigint", (c) => c.notNull().defaultTo(0));
      await bucket.addPrimaryKeyConstraint(`${table}_pk`, BUCKET_KEY as never).execute();
    }

    // Latency histograms by version only (percentiles under a model, environment or flag filter are exact, from
    // the tasks): per hour, one row per histogram bucket, for the edges of a range; per day, the whole histogram
    // as one JSON row, so that all time reads one row per day and version.
    await db.schema
      .createTable("agg_latency")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("hour", "bigint", (c) => c.notNull())
      .addColumn("version_id", "text", (c) => c.notNull())
      .addColumn("shard", "integer", (c) => c.notNull())
      .addColumn("bucket", "integer", (c) => c.notNull())
      .addColumn("n", "bigint", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("agg_latency_pk", ["project_id", "hour", "version_id", "shard", "bucket"])
      .execute();
    await db.schema
      .createTable("agg_latency_daily")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("hour", "bigint", (c) => c.notNull())
      .addColumn("version_id", "text", (c) => c.notNull())
      .addColumn("shard", "integer", (c) => c.notNull())
      .addColumn("histogram", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("agg_latency_daily_pk", ["project_id", "hour", "version_id", "shard"])
      .execute();

    await db.schema
      .createTable("agg_users")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("tasks", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("success", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("failure", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("total_tokens", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("cost_nano", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("first_seen", "bigint", (c) => c.notNull())
      .addColumn("last_seen", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("agg_users_pk", ["project_id", "user_id"])
      .execute();
    for (const sort of ["last_seen", "first_seen", "tasks", "total_tokens"]) {
      await sql`CREATE INDEX ${sql.id(`agg_users_${sort}`)} ON agg_users (project_id, ${sql.id(sort)}, user_id)`.execute(
        db,
      );
    }

    // Sessions started per hour (a session's hour is its first task's): the overview's session counts.
    await db.schema
      .createTable("agg_session_starts")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("hour", "bigint", (c) => c.notNull())
      .addColumn("shard", "integer", (c) => c.notNull())
      .addColumn("sessions", "bigint", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("agg_session_starts_pk", ["project_id", "hour", "shard"])
      .execute();

    await db.schema
      .createTable("project_prices")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("input_mtok", "double precision", (c) => c.notNull())
      .addColumn("output_mtok", "double precision", (c) => c.notNull())
      .addColumn("cache_read_mtok", "double precision")
      .addColumn("cache_write_mtok", "double precision")
      .addColumn("reasoning_mtok", "double precision")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("project_prices_pk", ["project_id", "model"])
      .execute();

    await db.schema.alterTable("sessions").addColumn("first_received_at", "bigint").execute();
    await db.schema.alterTable("sessions").addColumn("last_received_at", "bigint").execute();
    await db.schema
      .alterTable("sessions")
      .addColumn("cost_nano", "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`UPDATE sessions SET
      first_received_at = (SELECT t.received_at FROM tasks t WHERE t.project_id = sessions.project_id AND t.id = sessions.first_task_id),
      last_received_at = (SELECT t.received_at FROM tasks t WHERE t.project_id = sessions.project_id AND t.id = sessions.last_task_id)`.execute(
      db,
    );
    // The overview and A/B read the aggregates now; a task list filtered on these walks the time index and stops
    // at the page's end. Each index cost every insert a B-tree write.
    for (const index of ["tasks_flag", "tasks_model", "tasks_version"]) {
      await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
    }
    await rebuildAggregates(db);
    // Tasks stored before cost existed are priced by the background sweep, one marker per project.
    const projects = await sql<{ id: string }>`SELECT DISTINCT project_id AS id FROM tasks`.execute(db);
    for (const { id } of projects.rows) {
      const marker = repriceMarker(id, null);
      await db.insertInto("settings").values(marker).execute();
    }
  },
};

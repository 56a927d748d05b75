/** Every table of schema.ts, with the indexes the v2 reads and the dashboard need. */
import type { Migration } from "./types.js";

export const initial: Migration = {
  name: "001_initial",
  async up(db, dialect) {
    await db.schema
      .createTable("projects")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("key_hash", "text", (c) => c.notNull().unique())
      .addColumn("key_prefix", "text", (c) => c.notNull())
      .addColumn("name", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("last_used_at", "bigint")
      .addColumn("revoked_at", "bigint")
      .execute();
    await db.schema.createIndex("api_keys_project").on("api_keys").columns(["project_id"]).execute();

    await db.schema
      .createTable("tasks")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("session_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("received_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("last_update", "bigint", (c) => c.notNull())
      .addColumn("input", "text", (c) => c.notNull())
      .addColumn("output", "text")
      .addColumn("raw_input", "text")
      .addColumn("raw_output", "text")
      .addColumn("raw_input_type_name", "text")
      .addColumn("raw_output_type_name", "text")
      .addColumn("metadata", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("user_id", "text")
      .addColumn("version_id", "text")
      .addColumn("model", "text")
      .addColumn("system_prompt", "text")
      .addColumn("environment", "text", (c) => c.notNull().defaultTo("default environment"))
      .addColumn("test_id", "text")
      .addColumn("step_id", "text")
      .addColumn("status", "text")
      .addColumn("prompt_tokens", "bigint")
      .addColumn("completion_tokens", "bigint")
      .addColumn("total_tokens", "bigint")
      .addColumn("latency_ms", "bigint")
      .addColumn("ttft_ms", "bigint")
      .addColumn("flag", "text")
      .addColumn("flag_source", "text")
      .addColumn("notes", "text")
      .addColumn("human_eval", "text")
      .addColumn("human_eval_at", "bigint")
      .addColumn("last_eval", "text")
      .addColumn("task_position", "integer")
      .addColumn("is_last_task", "integer", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("tasks_pk", ["project_id", "id"])
      .execute();
    const taskIndexes: Array<[string, string[]]> = [
      ["tasks_time", ["project_id", "created_at", "received_at", "id"]],
      ["tasks_session", ["project_id", "session_id", "created_at"]],
      ["tasks_user", ["project_id", "user_id", "created_at"]],
      ["tasks_version", ["project_id", "version_id", "created_at"]],
      ["tasks_flag", ["project_id", "flag", "created_at"]],
      ["tasks_model", ["project_id", "model", "created_at"]],
      // Finds which project owns a task id, for 403 versus 404 and for key-less feedback.
      ["tasks_id", ["id"]],
    ];
    for (const [name, columns] of taskIndexes) {
      await db.schema.createIndex(name).on("tasks").columns(columns).execute();
    }

    await db.schema
      .createTable("sessions")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("last_message_ts", "bigint", (c) => c.notNull())
      .addColumn("session_length", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("first_task_id", "text")
      .addColumn("last_task_id", "text")
      .addColumn("preview", "text")
      .addColumn("user_id", "text")
      .addColumn("metadata", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("prompt_tokens", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("completion_tokens", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("total_tokens", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("success_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("failure_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("notes", "text")
      .addPrimaryKeyConstraint("sessions_pk", ["project_id", "id"])
      .execute();
    await db.schema
      .createIndex("sessions_activity")
      .on("sessions")
      .columns(["project_id", "last_message_ts", "id"])
      .execute();
    await db.schema
      .createIndex("sessions_created")
      .on("sessions")
      .columns(["project_id", "created_at"])
      .execute();
    await db.schema.createIndex("sessions_user").on("sessions").columns(["project_id", "user_id"]).execute();
    await db.schema.createIndex("sessions_id").on("sessions").columns(["id"]).execute();

    await db.schema
      .createTable("evals")
      .addColumn("id", dialect === "postgres" ? "serial" : "integer", (c) =>
        dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("value", "text")
      .addColumn("source", "text")
      .addColumn("notes", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("applied", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex("evals_task")
      .on("evals")
      .columns(["project_id", "task_id", "applied"])
      .execute();
    await db.schema.createIndex("evals_time").on("evals").columns(["project_id", "created_at"]).execute();

    await db.schema
      .createTable("settings")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("dashboard_tokens")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .execute();
  },
};

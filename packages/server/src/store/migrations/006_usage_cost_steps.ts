/**
 * Shared columns for the next stage, agreed before the work split (see docs/ARCHITECTURE.md, "Contracts of the
 * next stage"): cache and reasoning tokens (priced separately), the task's cost and where it came from, and the
 * number of steps (spans) a task holds. Every column is nullable or defaulted, so old rows stay valid.
 */
import type { Migration } from "./types.js";

export const usageCostSteps: Migration = {
  name: "006_usage_cost_steps",
  async up(db) {
    const columns: Array<[string, "bigint" | "double precision" | "text" | "integer"]> = [
      ["cache_read_tokens", "bigint"],
      ["cache_write_tokens", "bigint"],
      ["reasoning_tokens", "bigint"],
      ["cost_usd", "double precision"],
      ["cost_source", "text"],
      ["cost_prices", "text"],
    ];
    for (const [name, type] of columns) {
      await db.schema.alterTable("tasks").addColumn(name, type).execute();
    }
    await db.schema
      .alterTable("tasks")
      .addColumn("step_count", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

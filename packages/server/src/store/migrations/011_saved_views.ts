/**
 * Saved views of the dashboard: a name, the list's URL query (filters and sort) and its table settings,
 * stored per project so that everyone who opens the project sees them and a link to one works for them.
 */
import type { Migration } from "./types.js";

export const savedViews: Migration = {
  name: "011_saved_views",
  async up(db) {
    await db.schema
      .createTable("saved_views")
      .addColumn("project_id", "text", (c) => c.notNull())
      .addColumn("id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("page", "text", (c) => c.notNull())
      .addColumn("query", "text", (c) => c.notNull())
      .addColumn("table_config", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("saved_views_pk", ["project_id", "id"])
      .execute();
  },
};

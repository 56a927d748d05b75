/**
 * Migration 004: on PostgreSQL a GIN index over `metadata::jsonb` that the dashboard's metadata filter can use;
 * on SQLite nothing. The filter's SQL and the index's expression must stay in step, or the index is dead weight.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metadataEquals } from "../../src/dashboard/queries/where.js";
import { openStore, type Store } from "../../src/store/index.js";
import { storeEngines, type TestDatabase } from "../helpers/postgres.js";

describe.each(await storeEngines())("metadata index on $name", (engine) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await engine.create();
    store = await openStore(database.url, { warn: () => {} });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("is recorded as applied, and exists only on PostgreSQL", async () => {
    const applied = await sql<{ name: string }>`SELECT name FROM phospho_migrations ORDER BY name`.execute(
      store.db,
    );
    expect(applied.rows.map((r) => r.name)).toContain("004_metadata_gin");
    if (engine.name === "sqlite") {
      const found = await sql`SELECT name FROM sqlite_master WHERE name = 'tasks_metadata_gin'`.execute(
        store.db,
      );
      expect(found.rows).toEqual([]);
      return;
    }
    const found = await sql<{
      indexdef: string;
    }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'tasks_metadata_gin'`.execute(store.db);
    expect(found.rows[0]?.indexdef).toMatch(/USING gin \(\(\(?metadata\)?::jsonb\) jsonb_path_ops\)/);
  });

  it.runIf(engine.name === "postgres")("serves the dashboard's metadata filter", async () => {
    const plan = await store.db.transaction().execute(async (trx) => {
      // Tiny table: forbid the sequential scan so that the plan shows whether the index can serve at all.
      await sql`SELECT set_config('enable_seqscan', 'off', true)`.execute(trx);
      return sql<{ "QUERY PLAN": string }>`EXPLAIN SELECT id FROM tasks WHERE ${metadataEquals(
        "postgres",
        "plan",
        "pro",
      )}`.execute(trx);
    });
    expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("tasks_metadata_gin");
  });
});

/**
 * Issue 13, item 17 (in part): a full database (SQLite's page limit stands in for a full disk) is answered 503
 * with Retry-After, and the error reported is the cause (SQLITE_FULL), not the failed ROLLBACK that follows it.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("a full database", () => {
  let t: TestApp;
  const reported: string[] = [];
  beforeAll(async () => {
    t = await testApp({ onInternalError: (error) => reported.push(error.message) });
  });
  afterAll(() => t.close());

  it("answers 503 with Retry-After and keeps the cause", async () => {
    const pages = await sql<{ page_count: number }>`PRAGMA page_count`.execute(t.store.db);
    await sql.raw(`PRAGMA max_page_count = ${pages.rows[0]!.page_count + 2}`).execute(t.store.db);
    const res = await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [...Array(50)].map((_, i) => ({ input: "x".repeat(20_000), task_id: `full-${i}` })),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("30");
    expect(res.json().detail).toMatch(/full/i);
    expect(res.json().detail).not.toMatch(/cannot rollback/);
    expect(reported).toEqual([]);
  });
});

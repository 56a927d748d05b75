/** Unexpected failures (here: the store is gone) still answer JSON, and are reported, never crash the process. */
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { openStore } from "../../src/store/index.js";
import { createSqliteDatabase } from "../helpers/postgres.js";

describe("internal errors", () => {
  it("answers 500 with a JSON detail and reports the error once", async () => {
    const database = createSqliteDatabase();
    const store = await openStore(database.url);
    const reported: string[] = [];
    const app = await buildApp({
      store,
      staticDir: dirname(database.url),
      onInternalError: (error, request) =>
        reported.push(`${request.method} ${request.url}: ${error.message}`),
    });
    await store.close();
    try {
      const res = await app.inject({
        method: "POST",
        url: "/v2/log/p",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        payload: { batched_log_events: [{ input: "x" }] },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ detail: "Internal error: the collector could not handle this request" });
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatch(/^POST \/v2\/log\/p: /);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});

/** Every /api reply, JSON or export, is marked nosniff and cannot be framed. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

describe("dashboard /api headers", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    await h.log([{ task_id: "t1", input: "hello", output: "world" }]);
  });
  afterAll(() => h.close());

  it("sends nosniff with every /api reply, exports included", async () => {
    const paths = [
      "/me",
      `/projects/${h.projectId}/tasks`,
      `/projects/${h.projectId}/export?format=csv`,
      `/projects/${h.projectId}/export?format=jsonl`,
    ];
    for (const path of paths) {
      const reply = await h.app.inject({ method: "GET", url: `/api${path}`, headers: { cookie: h.cookie } });
      expect(reply.statusCode, path).toBe(200);
      expect(reply.headers["x-content-type-options"], path).toBe("nosniff");
    }
    const unauthorised = await h.app.inject({ method: "GET", url: "/api/me" });
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.headers["x-content-type-options"]).toBe("nosniff");
  });
});

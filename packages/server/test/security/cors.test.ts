/** CORS: /api is never readable cross-origin; /v2 stays open to the SDK in browsers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

describe("collector CORS", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    await h.log([{ task_id: "t1", input: "hello", output: "world" }]);
  });
  afterAll(() => h.close());

  it("never lets another origin read /api with credentials; /v2 stays open to the SDK in browsers", async () => {
    const api = await h.app.inject({
      method: "GET",
      url: "/api/me",
      headers: { cookie: h.cookie, origin: "https://evil.example" },
    });
    expect(api.headers["access-control-allow-credentials"]).toBeUndefined();
    // The dashboard is same-origin: /api grants no cross-origin reading at all.
    expect(api.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await h.app.inject({
      method: "OPTIONS",
      url: `/api/projects/${h.projectId}/tasks/t1/notes`,
      headers: { origin: "https://evil.example", "access-control-request-method": "PUT" },
    });
    expect(preflight.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-methods"]).toBeUndefined();

    const v2 = await h.app.inject({
      method: "OPTIONS",
      url: `/v2/log/${h.projectId}`,
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(v2.statusCode).toBe(204);
    expect(v2.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(String(v2.headers["access-control-allow-headers"])).toMatch(/authorization/i);
  });
});

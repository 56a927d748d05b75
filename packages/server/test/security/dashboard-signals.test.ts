/**
 * Issue 13, items 16 and 19: a dashboard 500 reports its cause (the reply says the server log has it), and a task
 * dated far in the future does not freeze the live-update signal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../dashboard/harness.js";
import { storeEngines } from "../helpers/postgres.js";
import { testApp } from "../helpers/app.js";

describe.each(await storeEngines())("live signal on $name", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h.close());

  it("moves `latest` past a task dated in the year 2100", async () => {
    await h.log([{ input: "from the future", task_id: "future", created_at: 4_102_444_800 }]);
    const before = await h.get<{ latest: number }>(`/projects/${h.projectId}/latest`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h.log([{ input: "now", task_id: "present" }]);
    const after = await h.get<{ latest: number }>(`/projects/${h.projectId}/latest`);
    expect(after.status).toBe(200);
    expect(after.body.latest).toBeGreaterThan(before.body.latest ?? 0);
  });
});

describe("dashboard errors", () => {
  it("reports the cause of a 500 to the collector's error report", async () => {
    const reported: string[] = [];
    const t = await testApp({ onInternalError: (error) => reported.push(error.message) });
    try {
      const signIn = await t.app.inject({
        method: "POST",
        url: "/api/signin",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ apiKey: t.a.key }),
      });
      const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
      await t.store.db.schema.dropTable("tasks").execute();
      const res = await t.app.inject({
        method: "GET",
        url: `/api/projects/${t.a.id}/tasks`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().detail).toMatch(/the server log has the cause/);
      expect(reported.join("\n")).toMatch(/tasks/);
    } finally {
      await t.close();
    }
  });
});

describe.each(await storeEngines())("metadata suggestions on $name", (engine) => {
  it("skip huge metadata documents and reuse one sample per project for a while", async () => {
    const h = await startHarness(engine);
    try {
      const huge = Object.fromEntries([...Array(400)].map((_, i) => [`huge_${i}`, "v".repeat(200)]));
      await h.log([
        { input: "big", task_id: "big", metadata: huge },
        { input: "small", task_id: "small", metadata: { plan: "team" } },
      ]);
      const first = await h.get<{ keys: Array<{ value: string }> }>(
        `/projects/${h.projectId}/suggestions/metadata-keys`,
      );
      const keys = first.body.keys.map((k) => k.value);
      expect(keys).toContain("plan");
      expect(keys.some((k) => k.startsWith("huge_"))).toBe(false);
      await h.log([{ input: "later", task_id: "later", metadata: { region: "eu" } }]);
      const second = await h.get<{ keys: Array<{ value: string }> }>(
        `/projects/${h.projectId}/suggestions/metadata-keys`,
      );
      expect(second.body.keys.map((k) => k.value)).not.toContain("region");
    } finally {
      await h.close();
    }
  });
});

/** The wire format end to end on every engine: what PostgreSQL's TEXT and JSONB could refuse must still store. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { storeEngines } from "../helpers/postgres.js";

const engines = await storeEngines();

describe.each(engines)("v2 routes on $name", (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({}, await engine.create());
  });
  afterAll(() => t.close());

  it("stores NULs, lone surrogates, emoji and deep-but-allowed metadata, and filters on them", async () => {
    const res = await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        {
          task_id: "weird",
          session_id: "s",
          input: "nul\u0000here 🙂 \ud800 end",
          output: "ok",
          metadata: { "key\u0000": "v\u0000", nested: { a: [1, { b: "\u0000" }] }, tier: "gold" },
          raw_input: { text: "\u0000" },
          user_id: "u\u0000",
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    const task = (await t.get("/v2/tasks/weird")).json();
    expect(task.input).toBe("nulhere 🙂 \ufffd end");
    expect(task.metadata).toEqual({ key: "v", nested: { a: [1, { b: "" }] }, tier: "gold", user_id: "u" });
    expect(task.additional_input).toEqual({ text: "" });
    const byMeta = await t.post(`/v2/projects/${t.a.id}/tasks`, {
      filters: { metadata: { tier: "gold" }, user_id: "u" },
    });
    expect(byMeta.json().tasks.map((x: { id: string }) => x.id)).toEqual(["weird"]);
    const bySearch = await t.post(`/v2/projects/${t.a.id}/tasks`, { filters: { search: "HERE 🙂" } });
    expect(bySearch.json().tasks.map((x: { id: string }) => x.id)).toEqual(["weird"]);
  });

  it("keeps feedback before its task, then applies it, and counts it in the session", async () => {
    const early = await t.post("/v2/tasks/late/flag", { flag: "success", project_id: t.a.id }, null);
    expect(early.statusCode).toBe(202);
    await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [{ task_id: "late", session_id: "s", input: "later" }],
    });
    expect((await t.get("/v2/tasks/late")).json().flag).toBe("success");
    expect((await t.get("/v2/sessions/s")).json()).toMatchObject({
      session_length: 2,
      stats: { success_count: 1 },
    });
  });

  it("answers 400 naming the part for a NUL in any path parameter (PostgreSQL cannot compare one)", async () => {
    const cases: Array<[method: "get" | "post", url: string, part: string]> = [
      ["get", "/v2/tasks/a%00b", "task_id"],
      ["get", "/v0/sessions/a%00b", "session_id"],
      ["get", "/v2/sessions/a%00b/tasks", "session_id"],
      ["post", `/v2/log/${t.a.id}%00`, "project_id"],
      ["post", "/v2/tasks/a%00b/flag", "task_id"],
      ["post", `/v2/projects/${t.a.id}%00/tasks`, "project_id"],
    ];
    for (const [method, url, part] of cases) {
      const res =
        method === "get"
          ? await t.get(url, t.a.key)
          : await t.post(url, { batched_log_events: [], flag: "success", project_id: t.a.id }, t.a.key);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().detail, url).toBe(`${part}: must not contain a NUL character (%00)`);
    }
  });

  it("answers 403 (project) and 404 (task) to another project's key on this engine too", async () => {
    const res = await t.post(`/v2/projects/${t.a.id}/tasks`, {}, t.b.key);
    expect(res.statusCode).toBe(403);
    expect((await t.get("/v2/tasks/weird", t.b.key)).statusCode).toBe(404);
  });
});

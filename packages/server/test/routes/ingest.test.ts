import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("ingest and basics", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("answers health at / and under /v2 and /v0", async () => {
    expect((await t.get("/health", null)).json()).toEqual({
      status: "ok",
      search: { pending: 0, lag_ms: 0 },
    });
    expect((await t.get("/v2/health", null)).json()).toEqual({ status: "OK" });
    expect((await t.get("/v0/health", null)).json()).toEqual({ status: "OK" });
  });

  it("stores a batch and replies one normalised entry per event, in order, after commit", async () => {
    const res = await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        {
          input: "hello",
          output: "world",
          task_id: "i1",
          session_id: "s1",
          client_created_at: 1_700_000_000,
        },
        { input: "no id" },
      ],
    });
    expect(res.statusCode).toBe(200);
    const logged = res.json().logged_events;
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      task_id: "i1",
      session_id: "s1",
      input: "hello",
      created_at: 1_700_000_000,
    });
    expect(logged[1].task_id).toMatch(/^task_[0-9a-f]{32}$/);
    // Answered after commit: readable right away.
    expect(await t.store.getTask(t.a.id, "i1")).not.toBeNull();
    expect(await t.store.getTask(t.a.id, logged[1].task_id)).not.toBeNull();
    expect((await t.store.getSession(t.a.id, "s1"))?.session_length).toBe(1);
  });

  it("serves the same routes under /v0", async () => {
    const res = await t.post(`/v0/log/${t.a.id}`, {
      batched_log_events: [{ input: "v0", task_id: "v0task" }],
    });
    expect(res.statusCode).toBe(200);
    expect((await t.get("/v0/tasks/v0task")).json().input).toBe("v0");
  });

  it("upserts a repeated task_id and ignores an older retry", async () => {
    const url = `/v2/log/${t.a.id}`;
    await t.post(url, { batched_log_events: [{ input: "q", task_id: "u1", last_update: 2, output: "new" }] });
    await t.post(url, { batched_log_events: [{ input: "q", task_id: "u1", last_update: 1, output: "old" }] });
    expect((await t.get("/v2/tasks/u1")).json().output).toBe("new");
  });

  it("re-sending a batch changes nothing and counts nothing twice", async () => {
    const batch = {
      batched_log_events: [
        {
          input: "a",
          task_id: "r1",
          session_id: "rs",
          prompt_tokens: 2,
          completion_tokens: 3,
          client_created_at: 1,
        },
        { input: "b", task_id: "r2", session_id: "rs", prompt_tokens: 4, client_created_at: 2 },
      ],
    };
    await t.post(`/v2/log/${t.a.id}`, batch);
    const first = (await t.get("/v2/sessions/rs")).json();
    const taskBefore = await t.store.getTask(t.a.id, "r1");
    await t.post(`/v2/log/${t.a.id}`, batch);
    const second = (await t.get("/v2/sessions/rs")).json();
    expect(second).toEqual(first);
    expect(second.session_length).toBe(2);
    expect(second.metadata).toMatchObject({ prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 });
    expect((await t.store.getTask(t.a.id, "r1"))?.updated_at).toBe(taskBefore?.updated_at);
  });

  it("leaves a task without session_id out of any session", async () => {
    await t.post(`/v2/log/${t.a.id}`, { batched_log_events: [{ input: "solo", task_id: "solo" }] });
    expect((await t.get("/v2/tasks/solo")).json().session_id).toBeNull();
  });

  it("accepts an empty batch", async () => {
    const res = await t.post(`/v2/log/${t.a.id}`, { batched_log_events: [] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ logged_events: [] });
  });

  it("answers 401 without a key or with a bad one, 404 for an unknown project", async () => {
    const body = { batched_log_events: [{ input: "x" }] };
    const missing = await t.post(`/v2/log/${t.a.id}`, body, null);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().detail).toMatch(/Authorization header is missing/);
    const malformed = await t.app.inject({
      method: "POST",
      url: `/v2/log/${t.a.id}`,
      headers: { authorization: "Token abc", "content-type": "application/json" },
      payload: body,
    });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json().detail).toMatch(/malformed/);
    const unknown = await t.post(`/v2/log/${t.a.id}`, body, "phk_unknown");
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toMatch(/Invalid API key/);
    const noProject = await t.post(`/v2/log/nope`, body);
    expect(noProject.statusCode).toBe(404);
    expect(noProject.json().detail).toMatch(/Project nope does not exist/);
  });

  it("allows the SDK from browsers (CORS preflight with Authorization)", async () => {
    const res = await t.app.inject({
      method: "OPTIONS",
      url: `/v2/log/${t.a.id}`,
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(String(res.headers["access-control-allow-headers"]).toLowerCase()).toContain("authorization");
    const actual = await t.app.inject({
      method: "GET",
      url: "/v2/me",
      headers: { origin: "https://app.example.com", authorization: `Bearer ${t.a.key}` },
    });
    expect(actual.headers["access-control-allow-origin"]).toBe("https://app.example.com");
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await t.get("/v2/nothing-here");
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/no route GET \/v2\/nothing-here/i);
  });
});

/**
 * A key of project A gets 403 on every read and write of project B, route by route; for a task or session id it
 * gets 404, as for an id that exists nowhere, so that it learns nothing about B's ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("project isolation", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    const res = await t.post(
      `/v2/log/${t.b.id}`,
      { batched_log_events: [{ input: "secret of B", task_id: "b-task", session_id: "b-session" }] },
      t.b.key,
    );
    expect(res.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const routes: Array<{
    name: string;
    method: "GET" | "POST";
    url: (b: string) => string;
    body?: (b: string) => unknown;
    /** 404: the id is looked up in A only; 202: feedback kept pending in A, for a task A has not logged. */
    status?: 404 | 202;
  }> = [
    {
      name: "ingest",
      method: "POST",
      url: (b) => `/log/${b}`,
      body: () => ({ batched_log_events: [{ input: "x" }] }),
    },
    { name: "task list", method: "POST", url: (b) => `/projects/${b}/tasks`, body: () => ({}) },
    { name: "session list", method: "POST", url: (b) => `/projects/${b}/sessions`, body: () => ({}) },
    { status: 404, name: "get task", method: "GET", url: () => "/tasks/b-task" },
    { status: 404, name: "get session", method: "GET", url: () => "/sessions/b-session" },
    { status: 404, name: "session tasks", method: "GET", url: () => "/sessions/b-session/tasks" },
    {
      name: "update task",
      method: "POST",
      url: () => "/tasks/b-task",
      body: () => ({ notes: "pwned" }),
      status: 404,
    },
    {
      name: "flag (key's project)",
      status: 202,
      method: "POST",
      url: () => "/tasks/b-task/flag",
      body: () => ({ flag: "failure" }),
    },
    {
      name: "flag naming B",
      method: "POST",
      url: () => "/tasks/b-task/flag",
      body: (b) => ({ flag: "failure", project_id: b }),
    },
    {
      name: "flag of a new id naming B",
      method: "POST",
      url: () => "/tasks/not-yet/flag",
      body: (b) => ({ flag: "failure", project_id: b }),
    },
    {
      name: "human-eval (key's project)",
      status: 202,
      method: "POST",
      url: () => "/tasks/b-task/human-eval",
      body: () => ({ human_eval: "failure" }),
    },
    {
      name: "human-eval naming B",
      method: "POST",
      url: () => "/tasks/b-task/human-eval",
      body: (b) => ({ human_eval: "failure", project_id: b }),
    },
  ];

  for (const prefix of ["/v2", "/v0"]) {
    it.each(routes)(`${prefix} $name: 403 (or 404, 202) for project A's key`, async (route) => {
      const res = await t.app.inject({
        method: route.method,
        url: prefix + route.url(t.b.id),
        headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/json" },
        ...(route.body ? { payload: JSON.stringify(route.body(t.b.id)) } : {}),
      });
      expect(res.statusCode).toBe(route.status ?? 403);
      const detail = { 403: /does not give access/, 404: /does not exist in project/, 202: /not arrived/ };
      expect(res.json().detail).toMatch(detail[route.status ?? 403]);
    });
  }

  it("left project B untouched", async () => {
    const task = await t.store.getTask(t.b.id, "b-task");
    expect(task).toMatchObject({ flag: null, notes: null, human_eval: null });
    expect(await t.store.listTasks(t.b.id, {}, 10)).toHaveLength(1);
    expect(await t.store.listEvals(t.b.id, "b-task")).toHaveLength(0);
    expect(await t.store.listEvals(t.b.id, "not-yet")).toHaveLength(0);
  });
});

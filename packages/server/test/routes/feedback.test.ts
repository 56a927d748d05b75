import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("feedback routes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        { input: "q1", task_id: "f1", session_id: "fs" },
        { input: "q2", task_id: "f2", session_id: "fs" },
        { input: "q3", task_id: "f3" },
      ],
    });
    await t.post(`/v2/log/${t.b.id}`, { batched_log_events: [{ input: "b's", task_id: "fb" }] }, t.b.key);
  });
  afterAll(() => t.close());

  it("flags a task without a key when project_id names the task's project", async () => {
    const res = await t.post(
      "/v2/tasks/f1/flag",
      { flag: "success", project_id: t.a.id, notes: "nice" },
      null,
    );
    expect(res.statusCode).toBe(200);
    // No task content goes back to a caller without a key.
    expect(res.json()).toEqual({ task_id: "f1", project_id: t.a.id, recorded: true });
    expect((await t.get("/v2/tasks/f1")).json()).toMatchObject({ flag: "success", flag_source: "user" });
    expect((await t.get("/v2/sessions/fs")).json().stats).toEqual({ success_count: 1, failure_count: 0 });
    expect((await t.get("/v2/tasks/f1")).json().notes).toBe("nice");
  });

  it("without a key touches only the named project: another project's task id becomes pending there", async () => {
    const res = await t.post("/v2/tasks/fb/flag", { flag: "failure", project_id: t.a.id }, null);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ task_id: "fb", project_id: t.a.id, pending: true });
    expect((await t.store.getTask(t.b.id, "fb"))?.flag).toBeNull();
    expect(await t.store.listEvals(t.b.id, "fb")).toHaveLength(0);
  });

  it("without a key refuses an unknown project (404) and a missing project_id (401)", async () => {
    const unknown = await t.post("/v2/tasks/zz/flag", { flag: "failure", project_id: "nope" }, null);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/Project nope does not exist/);
    const none = await t.post("/v2/tasks/f1/flag", { flag: "failure" }, null);
    expect(none.statusCode).toBe(401);
    expect(none.json().detail).toMatch(/project_id in the body/);
  });

  it("keeps feedback for a task that has not arrived and applies it on arrival", async () => {
    const early = await t.post(
      "/v2/tasks/later/flag",
      { flag: "failure", project_id: t.a.id, notes: "slow" },
      null,
    );
    expect(early.statusCode).toBe(202);
    await t.post(`/v2/log/${t.a.id}`, { batched_log_events: [{ input: "late", task_id: "later" }] });
    expect((await t.get("/v2/tasks/later")).json()).toMatchObject({ flag: "failure", notes: "slow" });
  });

  it("flags with a key, defaulting to the key's project", async () => {
    const res = await t.post("/v2/tasks/f3/flag", { flag: "failure" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ flag: "failure", flag_source: "owner" });
  });

  it("records a human eval with its time and keeps earlier notes when notes are omitted", async () => {
    await t.post("/v2/tasks/f2/flag", { flag: "success", notes: "keep me" });
    const res = await t.post("/v2/tasks/f2/human-eval", { human_eval: "failure", source: "reviewer" });
    expect(res.statusCode).toBe(200);
    const task = res.json();
    expect(task.human_eval.flag).toBe("failure");
    expect(typeof task.human_eval.created_at).toBe("number");
    expect(task.flag).toBe("failure");
    expect(task.notes).toBe("keep me");
    expect(task.last_eval).toMatchObject({ kind: "human_eval", value: "failure", source: "reviewer" });
    expect((await t.store.listEvals(t.a.id, "f2")).map((e) => e.kind)).toEqual(["flag", "human_eval"]);
  });

  it("accepts a human eval in the Task's own shape and names a bad one", async () => {
    const res = await t.post("/v2/tasks/f1/human-eval", { human_eval: { flag: "success" } });
    expect(res.statusCode).toBe(200);
    expect(res.json().human_eval.flag).toBe("success");
    const bad = await t.post("/v2/tasks/f1/human-eval", { human_eval: "meh" });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toBe('human_eval: must be "success" or "failure"');
  });

  it("updates a task with POST /tasks/{id} (key required)", async () => {
    const res = await t.post("/v2/tasks/f3", {
      metadata: { reviewed: true },
      notes: "edited",
      data: { x: 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ notes: "edited", metadata: { reviewed: true, data: { x: 1 } } });
    const flagged = await t.post("/v2/tasks/f3", { flag: "success", flag_source: "qa" });
    expect(flagged.json()).toMatchObject({ flag: "success", flag_source: "qa", notes: "edited" });
    expect((await t.post("/v2/tasks/f3", { notes: "x" }, null)).statusCode).toBe(401);
    expect((await t.post("/v2/tasks/missing", { notes: "x" })).statusCode).toBe(404);
  });
});

describe("key-less feedback for tasks that have not arrived", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ maxPendingFeedback: 3 });
    await t.post(`/v2/log/${t.a.id}`, { batched_log_events: [{ input: "here", task_id: "present" }] });
  });
  afterAll(() => t.close());
  const keyless = (taskId: string) =>
    t.post(`/v2/tasks/${taskId}/flag`, { flag: "success", project_id: t.a.id }, null);

  it("is bounded per project, while key holders and arrived tasks are not", async () => {
    for (const id of ["p1", "p2", "p3"]) expect((await keyless(id)).statusCode).toBe(202);
    const refused = await keyless("p4");
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toMatch(/already keeps 3 feedback .* with the project's API key/);
    expect(await t.store.listEvals(t.a.id, "p4")).toHaveLength(0);

    expect((await keyless("present")).statusCode).toBe(200);
    const keyed = await t.post("/v2/tasks/p5/flag", { flag: "failure" }, t.a.key);
    expect(keyed.statusCode).toBe(202);
    // Another project's budget is its own.
    const other = await t.post("/v2/tasks/q1/flag", { flag: "success", project_id: t.b.id }, null);
    expect(other.statusCode).toBe(202);
  });

  it("frees room when the awaited tasks arrive", async () => {
    await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        { input: "late", task_id: "p1" },
        { input: "late", task_id: "p5" },
      ],
    });
    expect((await t.store.getTask(t.a.id, "p1"))?.flag).toBe("success");
    expect((await keyless("p6")).statusCode).toBe(202);
    expect((await keyless("p7")).statusCode).toBe(429);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("read routes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        {
          input: "first question",
          output: "first answer",
          task_id: "r1",
          session_id: "rs1",
          client_created_at: 1_700_000_000,
          raw_input: { messages: [{ role: "user", content: "first question" }] },
          raw_input_type_name: "object",
          user_id: "alice",
          version_id: "v1",
          metadata: { plan: "pro" },
        },
        {
          input: "second",
          output: "two",
          task_id: "r2",
          session_id: "rs1",
          client_created_at: 1_700_000_100,
        },
        {
          input: "third",
          task_id: "r3",
          session_id: "rs2",
          client_created_at: 1_700_000_200,
          flag: "failure",
        },
      ],
    });
    await t.post("/v2/tasks/r2", { notes: "has a note" });
  });
  afterAll(() => t.close());

  it("returns a task in the wire shape", async () => {
    const res = await t.get("/v2/tasks/r1");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: "r1",
      project_id: t.a.id,
      session_id: "rs1",
      created_at: 1_700_000_000,
      input: "first question",
      output: "first answer",
      additional_input: { messages: [{ role: "user", content: "first question" }] },
      additional_output: null,
      metadata: { plan: "pro", user_id: "alice", version_id: "v1" },
      flag: null,
      notes: null,
      human_eval: null,
      environment: "default environment",
      task_position: 1,
      is_last_task: false,
    });
    expect((await t.get("/v2/tasks/nope")).statusCode).toBe(404);
  });

  it("lists a project's tasks newest first, with every filter", async () => {
    const ids = async (body: unknown) => {
      const res = await t.post(`/v2/projects/${t.a.id}/tasks`, body);
      expect(res.statusCode).toBe(200);
      return res.json().tasks.map((task: { id: string }) => task.id);
    };
    expect(await ids({})).toEqual(["r3", "r2", "r1"]);
    expect(await ids(undefined)).toEqual(["r3", "r2", "r1"]);
    expect(await ids({ limit: 1 })).toEqual(["r3"]);
    expect(
      await ids({ filters: { created_at_start: 1_700_000_100, created_at_end: 1_700_000_100 } }),
    ).toEqual(["r2"]);
    expect(await ids({ filters: { flag: "failure" } })).toEqual(["r3"]);
    expect(await ids({ filters: { user_id: "alice" } })).toEqual(["r1"]);
    expect(await ids({ filters: { version_id: "v1" } })).toEqual(["r1"]);
    expect(await ids({ filters: { session_id: "rs2" } })).toEqual(["r3"]);
    expect(await ids({ filters: { sessions_ids: ["rs1"] } })).toEqual(["r2", "r1"]);
    expect(await ids({ filters: { tasks_ids: ["r1", "r3"] } })).toEqual(["r3", "r1"]);
    expect(await ids({ filters: { has_notes: true } })).toEqual(["r2"]);
    expect(await ids({ filters: { metadata: { plan: "pro" } } })).toEqual(["r1"]);
    expect(await ids({ filters: { search: "QUESTION" } })).toEqual(["r1"]);
  });

  it("lists sessions by latest activity, and reads one session and its tasks", async () => {
    const list = await t.post(`/v2/projects/${t.a.id}/sessions`, {});
    expect(list.json().sessions.map((s: { id: string }) => s.id)).toEqual(["rs2", "rs1"]);
    const filtered = await t.post(`/v2/projects/${t.a.id}/sessions`, { filters: { sessions_ids: ["rs1"] } });
    expect(filtered.json().sessions).toHaveLength(1);
    const session = (await t.get("/v2/sessions/rs1")).json();
    expect(session).toMatchObject({
      id: "rs1",
      created_at: 1_700_000_000,
      last_message_ts: 1_700_000_100,
      session_length: 2,
      preview: "first question",
    });
    const tasks = (await t.get("/v2/sessions/rs1/tasks")).json().tasks;
    expect(tasks.map((task: { id: string; is_last_task: boolean }) => [task.id, task.is_last_task])).toEqual([
      ["r1", false],
      ["r2", true],
    ]);
    expect((await t.get("/v2/sessions/none")).statusCode).toBe(404);
  });

  it("tells the key's identity at /me", async () => {
    const res = await t.get("/v2/me");
    expect(res.json()).toMatchObject({ project_id: t.a.id, project_name: "A" });
    expect((await t.get("/v2/me", null)).statusCode).toBe(401);
  });
});

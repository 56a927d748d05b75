/**
 * Replays of what the upstream clients send, written from their sources: the JavaScript module (phosphojs: nested
 * `usage`, extras at the top level, `typeof` type names, uuid ids, key-less `/flag` with `project_id`) and the
 * Python module (flat tokens, `task_<hex>`/`session_<hex>`, `version_id` always, `last_update` in seconds,
 * `/human-eval` with the key).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("upstream compatibility", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("stores the upstream JavaScript module's payload and its key-less flag", async () => {
    const taskId = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const sessionId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    const payload = {
      batched_log_events: [
        {
          client_created_at: 1_716_200_000,
          project_id: t.a.id,
          session_id: sessionId,
          task_id: taskId,
          input: "Say hello",
          raw_input: "Say hello",
          raw_input_type_name: "undefined",
          output: "Hello! How can I help?",
          raw_output: {
            id: "chatcmpl-1",
            object: "chat.completion",
            choices: [{ index: 0, message: { role: "assistant", content: "Hello! How can I help?" } }],
            usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
          },
          raw_output_type_name: "object",
          usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
          metadata: { source: "web" },
          user_id: "user-42",
          model: "gpt-4o-mini",
        },
      ],
    };
    const res = await t.app.inject({
      method: "POST",
      url: `/v2/log/${t.a.id}`,
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/json" },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().logged_events[0].task_id).toBe(taskId);

    const task = await t.store.getTask(t.a.id, taskId);
    expect(task).toMatchObject({
      session_id: sessionId,
      created_at: 1_716_200_000_000,
      raw_input: '"Say hello"',
      raw_input_type_name: "undefined",
      prompt_tokens: 9,
      completion_tokens: 7,
      total_tokens: 16,
      user_id: "user-42",
      model: "gpt-4o-mini",
    });
    expect(JSON.parse(task!.metadata)).toEqual({
      source: "web",
      usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
      user_id: "user-42",
      model: "gpt-4o-mini",
    });
    expect((await t.store.getSession(t.a.id, sessionId))?.total_tokens).toBe(16);

    // phosphojs `userFeedback`: no Authorization header, project_id in the body.
    const flag = await t.app.inject({
      method: "POST",
      url: `/v2/tasks/${taskId}/flag`,
      headers: { "content-type": "application/json" },
      payload: { project_id: t.a.id, flag: "success", flag_source: "user", notes: "thanks" },
    });
    expect(flag.statusCode).toBe(200);
    expect(await t.store.getTask(t.a.id, taskId)).toMatchObject({
      flag: "success",
      flag_source: "user",
      notes: "thanks",
    });
  });

  it("stores the upstream Python module's payloads (a streamed task in two events) and its human eval", async () => {
    const taskId = "task_4f2d9c0e8b7a4c1d9e6f5a3b2c1d0e9f";
    const sessionId = "session_a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const event = (output: string, lastUpdate: number, completion: number) => ({
      client_created_at: 1_716_300_000,
      last_update: lastUpdate,
      project_id: t.a.id,
      session_id: sessionId,
      task_id: taskId,
      input: "Tell me a joke",
      raw_input: { messages: [{ role: "user", content: "Tell me a joke" }], model: "gpt-4o" },
      raw_input_type_name: "dict",
      output,
      raw_output: null,
      raw_output_type_name: "NoneType",
      version_id: "v1.3",
      user_id: "py-user",
      metadata: { experiment: "A" },
      prompt_tokens: 12,
      completion_tokens: completion,
      total_tokens: 12 + completion,
    });
    const log = (events: unknown[]) => t.post(`/v2/log/${t.a.id}`, { batched_log_events: events });
    expect((await log([event("Why did the", 1_716_300_001, 3)])).statusCode).toBe(200);
    expect((await log([event("Why did the chicken cross the road?", 1_716_300_003, 9)])).statusCode).toBe(
      200,
    );
    // A retry of the first event arriving late must not truncate the output.
    expect((await log([event("Why did the", 1_716_300_001, 3)])).statusCode).toBe(200);

    const task = await t.store.getTask(t.a.id, taskId);
    expect(task).toMatchObject({
      output: "Why did the chicken cross the road?",
      version_id: "v1.3",
      user_id: "py-user",
      prompt_tokens: 12,
      completion_tokens: 9,
      total_tokens: 21,
      raw_input_type_name: "dict",
    });
    expect(JSON.parse(task!.metadata)).toMatchObject({
      experiment: "A",
      version_id: "v1.3",
      completion_tokens: 9,
    });
    expect(await t.store.getSession(t.a.id, sessionId)).toMatchObject({
      session_length: 1,
      total_tokens: 21,
    });

    const evaluation = await t.post(`/v2/tasks/${taskId}/human-eval`, {
      human_eval: "failure",
      project_id: t.a.id,
    });
    expect(evaluation.statusCode).toBe(200);
    expect(evaluation.json()).toMatchObject({ flag: "failure", human_eval: { flag: "failure" } });
    const filtered = await t.post(`/v2/projects/${t.a.id}/tasks`, {
      filters: { version_id: "v1.3", flag: "failure" },
    });
    expect(filtered.json().tasks.map((x: { id: string }) => x.id)).toEqual([taskId]);
  });
});

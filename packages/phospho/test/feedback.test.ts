// userFeedback() and sendUserFeedback(): flag mapping, authenticated vs unauthenticated route, and ordering
// after a task that is still queued.

import { describe, expect, it, vi } from "vitest";
import { defaultRawFlagToFlag, sendUserFeedback } from "../src/node.js";
import { TEST_KEY, testClient } from "./helpers/client.js";
import { useCollector } from "./helpers/servers.js";

const setup = useCollector();

describe("feedback", () => {
  it("maps 👍, 🙂, 😀 and success to success, anything else to failure", () => {
    for (const raw of ["👍", "🙂", "😀", "success", "Success"])
      expect(defaultRawFlagToFlag(raw)).toBe("success");
    for (const raw of ["👎", "😞", "failure", 0, undefined])
      expect(defaultRawFlagToFlag(raw)).toBe("failure");
  });

  it("sends feedback with the key, after the task it is about when that task is still queued", async () => {
    const { client } = testClient(setup.collector, { flushIntervalMs: 60_000 });
    const { task_id } = await client.log({ input: "q", output: "a" });
    await client.userFeedback({ taskId: task_id, rawFlag: "👍", notes: "great", source: "widget" });
    expect(await client.flush(5000)).toBe(true);
    const paths = setup.collector.requests.map((r) => r.path);
    expect(paths).toEqual(["/v2/log/proj_test", `/v2/tasks/${task_id}/flag`]);
    expect(setup.collector.feedback[0]).toMatchObject({
      taskId: task_id,
      authorization: `Bearer ${TEST_KEY}`,
      body: { flag: "success", notes: "great", source: "widget", project_id: "proj_test" },
    });
    expect(client.stats().feedbackSent).toBe(1);
    await client.shutdown(100);
  });

  it("waits for a task whose output is still pending before sending its feedback", async () => {
    const { client } = testClient(setup.collector, { flushIntervalMs: 10 });
    let resolve!: (v: string) => void;
    const logging = client.log({ input: "q", output: new Promise<string>((r) => (resolve = r)) });
    const taskId = client.latestTaskId as string;
    const feedback = client.userFeedback({ taskId, flag: "failure", rawFlagToFlag: () => "success" });
    await new Promise((r) => setTimeout(r, 100));
    expect(setup.collector.requests).toHaveLength(0);
    resolve("late answer");
    await logging;
    await feedback;
    expect(await client.flush(5000)).toBe(true);
    expect(setup.collector.requests.map((r) => r.path)).toEqual([
      "/v2/log/proj_test",
      `/v2/tasks/${taskId}/flag`,
    ]);
    expect(setup.collector.feedback[0]?.body.flag).toBe("failure");
    await client.shutdown(100);
  });

  it("uses rawFlagToFlag when given", async () => {
    const { client } = testClient(setup.collector);
    await client.userFeedback({
      taskId: "task_x",
      rawFlag: 5,
      rawFlagToFlag: (r) => ((r as number) > 3 ? "success" : "failure"),
    });
    await client.flush(5000);
    expect(setup.collector.feedback[0]?.body.flag).toBe("success");
    await client.shutdown(100);
  });

  it("sendUserFeedback without a key uses the unauthenticated route with project_id in the body", async () => {
    const task = await sendUserFeedback({
      projectId: "proj_browser",
      taskId: "task_1",
      rawFlag: "😀",
      baseUrl: setup.collector.url,
    });
    expect(task).toEqual({ id: "task_1", flag: "success" });
    expect(setup.collector.feedback[0]).toMatchObject({
      taskId: "task_1",
      authorization: undefined,
      body: { flag: "success", project_id: "proj_browser" },
    });
  });

  it("sendUserFeedback with a key authenticates", async () => {
    await sendUserFeedback({
      projectId: "p",
      taskId: "task_2",
      flag: "failure",
      apiKey: "k1",
      baseUrl: setup.collector.url,
    });
    expect(setup.collector.feedback[0]?.authorization).toBe("Bearer k1");
  });

  it("sendUserFeedback warns about a missing field and sends nothing, as phospho 1.3 did", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(await sendUserFeedback({ projectId: "", taskId: "t", flag: "success" })).toBeUndefined();
      expect(await sendUserFeedback({ projectId: "p", taskId: "", flag: "success" })).toBeUndefined();
      expect(await sendUserFeedback({ projectId: "p", taskId: "t" })).toBeUndefined();
      expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([
        expect.stringContaining("projectId is required"),
        expect.stringContaining("taskId is required"),
        expect.stringContaining("give flag, rawFlag or notes"),
      ]);
      expect(setup.collector.requests).toHaveLength(0);
    } finally {
      warn.mockRestore();
    }
  });

  it("userFeedback without a flag sends no flag: notes alone are sent, and nothing at all when empty", async () => {
    const { client, errors } = testClient(setup.collector);
    const { task_id } = await client.log({ input: "q", output: "a" });
    const updated = await client.userFeedback({ taskId: task_id, notes: "just a note" });
    expect(updated).toEqual({ id: task_id, notes: "just a note" });
    // The flag route needs a flag: notes alone update the task (`POST /tasks/{id}`, with the key).
    expect(setup.collector.requests.at(-1)?.path).toBe(`/v2/tasks/${task_id}`);
    expect(setup.collector.feedback[0]?.body).toEqual({ notes: "just a note", flag_source: "user" });
    expect(await client.userFeedback({ taskId: task_id })).toBeUndefined();
    expect(await client.flush(5000)).toBe(true);
    expect(setup.collector.feedback).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual(["userFeedback: give flag, rawFlag or notes"]);
    await client.shutdown(100);
  });

  it("userFeedback resolves to the updated task the collector returns, and to undefined when it fails", async () => {
    const { client } = testClient(setup.collector, { maxRetries: 0 });
    const { task_id } = await client.log({ input: "q", output: "a" });
    expect(await client.userFeedback({ taskId: task_id, flag: "success" })).toEqual({
      id: task_id,
      flag: "success",
    });
    await setup.collector.stop();
    expect(await client.userFeedback({ taskId: task_id, flag: "failure" })).toBeUndefined();
    await setup.collector.start();
    await client.shutdown(100);
  });
});

// userFeedback() and sendUserFeedback(): flag mapping, authenticated vs unauthenticated route, and ordering
// after a task that is still queued.

import { describe, expect, it } from "vitest";
import { defaultRawFlagToFlag, PhosphoConfigError, sendUserFeedback } from "../src/index.js";
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
    const ok = await sendUserFeedback({
      projectId: "proj_browser",
      taskId: "task_1",
      rawFlag: "😀",
      baseUrl: setup.collector.url,
    });
    expect(ok).toBe(true);
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

  it("sendUserFeedback names a missing field", async () => {
    await expect(sendUserFeedback({ projectId: "", taskId: "t" })).rejects.toThrow(PhosphoConfigError);
    await expect(sendUserFeedback({ projectId: "p", taskId: "" })).rejects.toThrow(/taskId is required/);
  });
});

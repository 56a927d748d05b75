// End to end: the SDK logs into the real `phospho-server` (its built CLI, SQLite in a temp dir), and the tasks
// are read back through the collector's read API. Needs packages/server/dist (`npm test` builds it first).

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectorCli,
  hasCollector,
  startCollectorProcess,
  type CollectorProcess,
} from "./helpers/collector-process.js";
import { Phospho } from "../src/node.js";
import { startFakeProvider, type FakeProvider } from "./helpers/fake-openai.js";

if (!hasCollector) console.warn(`[phospho e2e] skipped: ${collectorCli} is missing (run npm run build)`);

const PROJECT = "e2e_project";
const KEY = "phk_e2e_sdk_0123456789abcdef0123456789";

let collector: CollectorProcess | undefined;
let baseUrl: string;
let fake: FakeProvider;

async function readTasks(): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${baseUrl}/projects/${PROJECT}/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tasks: Array<Record<string, unknown>> }).tasks;
}

describe.skipIf(!hasCollector)("SDK → phospho-server", () => {
  beforeAll(async () => {
    collector = await startCollectorProcess(PROJECT, KEY);
    baseUrl = collector.baseUrl;
    fake = await startFakeProvider();
  });

  afterAll(async () => {
    await collector?.stop();
    await fake?.close();
  });

  it("logs a completion, a stream and feedback, and reads them back", async () => {
    const errors: unknown[] = [];
    const client = new Phospho({ apiKey: KEY, projectId: PROJECT, baseUrl, onError: (e) => errors.push(e) });
    const openai = new OpenAI({ apiKey: "sk-fake", baseURL: fake.openaiBaseUrl, maxRetries: 0 });
    const query = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: "Capital of fashion?" }],
    };

    const plain = await client.log({
      input: query,
      output: openai.chat.completions.create(query),
      sessionId: "session_e2e",
      userId: "user_1",
      versionId: "v1",
    });
    const stream = await openai.chat.completions.create({ ...query, stream: true });
    const streamed = await client.log({ input: query, output: stream, stream: true });
    for await (const _chunk of stream) {
      // consume
    }
    await client.userFeedback({ taskId: plain.task_id, rawFlag: "👍", notes: "nice" });
    expect(await client.flush(10_000)).toBe(true);
    expect(errors).toEqual([]);
    expect(client.stats()).toMatchObject({ logged: 2, sent: 2, droppedTotal: 0, feedbackSent: 1 });

    const tasks = await readTasks();
    const byId = new Map(tasks.map((t) => [t.id, t]));
    expect(byId.get(plain.task_id)).toMatchObject({
      input: "Capital of fashion?",
      output: "It's Paris of course.",
      session_id: "session_e2e",
      flag: "success",
      notes: "nice",
    });
    expect(byId.get(streamed.task_id)).toMatchObject({ output: "It's Paris of course." });
    const meta = byId.get(streamed.task_id)?.metadata as Record<string, unknown>;
    expect(meta).toMatchObject({ stream_status: "completed", total_tokens: 38 });
    await client.shutdown(1000);
  });

  it("sends log({ steps }) at the top level, where the collector stores them as the task's steps", async () => {
    const client = new Phospho({ apiKey: KEY, projectId: PROJECT, baseUrl });
    const start = Date.now();
    const logged = await client.log({
      input: "What's the weather in Paris?",
      output: "Sunny, 21 °C.",
      steps: [
        { id: "s1", name: "agent", kind: "agent", started_at: start, ended_at: start + 30 },
        {
          id: "s2",
          parent_id: "s1",
          name: "get_weather",
          kind: "tool",
          started_at: start + 5,
          ended_at: start + 20,
          input: { city: "Paris" },
          output: { sky: "sunny", celsius: 21 },
          status: "ok",
        },
      ],
    });
    expect(logged.steps).toHaveLength(2);
    expect(await client.flush(10_000)).toBe(true);
    expect(client.stats()).toMatchObject({ droppedTotal: 0 });

    const response = await fetch(`${baseUrl}/tasks/${logged.task_id}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(response.status).toBe(200);
    const task = (await response.json()) as { steps: Array<Record<string, unknown>>; metadata: object };
    expect(task.steps.map((step) => [step.id, step.parent_id, step.kind])).toEqual([
      ["s1", null, "agent"],
      ["s2", "s1", "tool"],
    ]);
    expect(task.steps[1]).toMatchObject({ input: { city: "Paris" }, output: { sky: "sunny", celsius: 21 } });
    expect(task.metadata).not.toHaveProperty("steps");
    await client.shutdown(1000);
  });
});

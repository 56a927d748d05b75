// The calls, options and fields of phospho 1.3 that code written for it relies on: public fields, sendBatch,
// rawInput/rawOutput, merging a task logged twice while queued, null latest ids, the nested usage returned.

import { describe, expect, it } from "vitest";
import { Phospho } from "../src/node.js";
import { TEST_KEY, testClient } from "./helpers/client.js";
import { useCollector } from "./helpers/servers.js";

const setup = useCollector();

describe("phospho 1.3 surface", () => {
  it("has the public fields, none of them an own property that console.log would print", async () => {
    const { client } = testClient(setup.collector, { flushIntervalMs: 60_000, versionId: "v9" });
    expect(client.apiKey).toBe(TEST_KEY);
    expect(client.projectId).toBe("proj_test");
    expect(client.baseUrl).toBe(setup.collector.url);
    expect(client.tick).toBe(60_000);
    expect(client.versionId).toBe("v9");
    expect(client.pathToHash).toBeUndefined();
    expect(client.isInitialized()).toBe(true);
    expect(Object.keys(client)).not.toContain("apiKey");
    expect(JSON.stringify(client)).not.toContain(TEST_KEY);
    await client.shutdown(100);
  });

  it("latestTaskId and latestSessionId are null until a log, then follow it", async () => {
    const client = new Phospho();
    expect(client.latestTaskId).toBeNull();
    expect(client.latestSessionId).toBeNull();
    await client.init({ enabled: false });
    const logged = await client.log({ input: "x", sessionId: "s1" });
    expect(client.latestTaskId).toBe(logged.task_id);
    expect(client.latestSessionId).toBe("s1");
    await client.log({ input: "y" });
    expect(client.latestSessionId).toBeNull();
  });

  it("logQueue lists what waits, and sendBatch() sends it", async () => {
    const { client } = testClient(setup.collector, { flushIntervalMs: 60_000 });
    const a = await client.log({ input: "a", output: "1" });
    await client.log({ input: "b", output: "2" });
    const queue = client.logQueue;
    expect([...queue.keys()]).toHaveLength(2);
    expect(queue.get(a.task_id)).toMatchObject({ id: a.task_id, toLog: true, content: { input: "a" } });
    await client.sendBatch();
    expect(setup.collector.events.map((e) => e.input)).toEqual(["a", "b"]);
    expect(client.logQueue.size).toBe(0);
    await client.shutdown(100);
  });

  it("rawInput and rawOutput are stored as the raw values, not in metadata", async () => {
    const { client } = testClient(setup.collector);
    const logged = await client.log({
      input: "question",
      output: "answer",
      rawInput: { messages: [{ role: "user", content: "question" }] },
      rawOutput: { id: "cmpl_1", text: "answer" },
    });
    expect(logged.raw_input).toEqual({ messages: [{ role: "user", content: "question" }] });
    expect(logged.raw_output).toEqual({ id: "cmpl_1", text: "answer" });
    await client.flush(5000);
    const sent = setup.collector.events[0];
    expect(sent?.raw_output).toEqual({ id: "cmpl_1", text: "answer" });
    expect(sent).not.toHaveProperty("metadata");
    await client.shutdown(100);
  });

  it("a taskId logged again while still queued merges: outputs concatenated, raw outputs gathered", async () => {
    const { client } = testClient(setup.collector, { flushIntervalMs: 60_000 });
    await client.log({ taskId: "task_parts", input: "q", output: "Hello" });
    await client.log({ taskId: "task_parts", input: "q", output: ", " });
    const last = await client.log({ taskId: "task_parts", input: "q", output: "world" });
    expect(last.output).toBe("Hello, world");
    expect(last.raw_output).toEqual(["Hello", ", ", "world"]);
    await client.log({ taskId: "task_other", input: "q", output: "a" });
    await client.log({
      taskId: "task_other",
      input: "q",
      output: "b",
      concatenateRawOutputsIfTaskIdExists: false,
    });
    expect(await client.flush(5000)).toBe(true);
    expect(setup.collector.events).toHaveLength(2);
    expect(setup.collector.events[0]).toMatchObject({
      output: "Hello, world",
      raw_output: ["Hello", ", ", "world"],
    });
    expect(setup.collector.events[1]).toMatchObject({ output: "ab", raw_output: "b" });
    expect(client.stats()).toMatchObject({ logged: 2, sent: 2 });
    await client.shutdown(100);
  });

  it("returns the provider's usage nested, and sends cache and reasoning tokens flat", async () => {
    const { client } = testClient(setup.collector);
    const completion = {
      model: "gpt-4o",
      choices: [{ message: { role: "assistant", content: "hi" } }],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    };
    const logged = await client.log({ input: "q", output: completion });
    expect(logged.usage).toEqual(completion.usage);
    const anthropic = await client.log({
      input: "q",
      output: {
        model: "claude",
        content: [{ type: "text", text: "hi" }],
        usage: {
          input_tokens: 10,
          output_tokens: 5,
          cache_read_input_tokens: 7,
          cache_creation_input_tokens: 3,
        },
      },
    });
    expect(anthropic).toMatchObject({ cache_read_tokens: 7, cache_write_tokens: 3, prompt_tokens: 10 });
    await client.flush(5000);
    expect(setup.collector.events[0]).toMatchObject({
      prompt_tokens: 100,
      cache_read_tokens: 64,
      reasoning_tokens: 12,
    });
    expect(setup.collector.events[0]).not.toHaveProperty("usage");
    await client.shutdown(100);
  });
});

describe("log() timing", () => {
  it("measures latency from the call to the settling of an output given as a Promise", async () => {
    const { client } = testClient(setup.collector);
    const output = new Promise<string>((resolve) => setTimeout(() => resolve("late"), 60));
    const logged = await client.log({ input: "q", output });
    expect(logged.latency_ms).toBeGreaterThanOrEqual(50);
    const plain = await client.log({ input: "q", output: "now" });
    expect(plain.latency_ms).toBeUndefined();
    await client.flush(5000);
    expect(setup.collector.events[0]?.latency_ms).toBe(logged.latency_ms);
    await client.shutdown(100);
  });

  it("createdAt, a Date or milliseconds, sets the task's time in seconds", async () => {
    const { client } = testClient(setup.collector);
    const when = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    const fromDate = await client.log({ input: "a", createdAt: new Date(when) });
    const fromMs = await client.log({ input: "b", createdAt: when });
    const invalid = await client.log({ input: "c", createdAt: Number.NaN });
    expect(fromDate).toMatchObject({ created_at: 1704164645, client_created_at: 1704164645 });
    expect(fromMs).toMatchObject({ created_at: 1704164645 });
    expect(invalid.created_at).toBeUndefined();
    await client.flush(5000);
    expect(setup.collector.events[0]?.created_at).toBe(1704164645);
    expect(setup.collector.events[0]).not.toHaveProperty("metadata");
    await client.shutdown(100);
  });
});

// Streams become exactly one task, whatever way they end, and the caller's stream object keeps working.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Phospho } from "../src/node.js";
import { testClient } from "./helpers/client.js";
import { useCollectorAndProvider } from "./helpers/servers.js";

const setup = useCollectorAndProvider();
let client: Phospho;

beforeEach(() => {
  setup.fake.pieces = ["It's ", "Paris ", "of ", "course."];
  setup.fake.chunkDelayMs = 0;
  delete setup.fake.breakAfterChunks;
  client = testClient(setup.collector).client;
});

afterEach(async () => {
  await client.shutdown(2000);
});

const query = {
  model: "gpt-4o-mini",
  messages: [{ role: "user" as const, content: "Capital of fashion?" }],
  stream: true as const,
};

async function onlyTask(): Promise<Record<string, unknown>> {
  expect(await client.flush(5000)).toBe(true);
  expect(setup.collector.events).toHaveLength(1);
  return setup.collector.events[0] as Record<string, unknown>;
}

describe("streamed outputs", () => {
  it("logs an early break once, as cancelled, with the partial output", async () => {
    const stream = await setup.openai.chat.completions.create(query);
    client.log({ input: query, output: stream, stream: true });
    let seen = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) seen++;
      if (seen === 2) break;
    }
    const task = await onlyTask();
    expect(task).toMatchObject({ output: "It's Paris ", stream_status: "cancelled" });
  });

  it("logs a stream that fails midway once, as error, with what arrived, and rethrows to the caller", async () => {
    setup.fake.breakAfterChunks = 2;
    const stream = await setup.openai.chat.completions.create(query);
    client.log({ input: query, output: stream, stream: true });
    let text = "";
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      })(),
    ).rejects.toThrow();
    expect(text).toBe("It's Paris ");
    const task = await onlyTask();
    expect(task).toMatchObject({ output: "It's Paris ", stream_status: "error" });
  });

  it("logs an aborted stream (controller.abort()) once, as cancelled", async () => {
    setup.fake.chunkDelayMs = 30;
    const stream = await setup.openai.chat.completions.create(query);
    client.log({ input: query, output: stream, stream: true });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (text.includes("Paris")) stream.controller.abort();
    }
    const task = await onlyTask();
    expect(task.stream_status).toBe("cancelled");
    expect(task.output).toBe(text);
  });

  it("keeps the caller's object: same instance, tee() and controller work", async () => {
    const stream = await setup.openai.chat.completions.create(query);
    const controller = stream.controller;
    const logged = await client.log({ input: query, output: stream, stream: true });
    expect(logged.output).toBeNull();
    expect(stream.controller).toBe(controller);
    const [left, right] = stream.tee();
    const read = async (s: typeof left) => {
      let t = "";
      for await (const chunk of s) t += chunk.choices[0]?.delta?.content ?? "";
      return t;
    };
    expect(await read(left)).toBe("It's Paris of course.");
    expect(await read(right)).toBe("It's Paris of course.");
    const task = await onlyTask();
    expect(task).toMatchObject({
      output: "It's Paris of course.",
      stream_status: "completed",
      total_tokens: 38,
    });
  });

  it("keeps toReadableStream() working and logs what it read", async () => {
    const stream = await setup.openai.chat.completions.create(query);
    client.log({ input: query, output: stream, stream: true });
    const reader = stream.toReadableStream().getReader();
    let chunks = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      chunks++;
    }
    expect(chunks).toBeGreaterThan(4);
    const task = await onlyTask();
    expect(task).toMatchObject({ output: "It's Paris of course.", stream_status: "completed" });
  });

  it("records latency and time to first token in milliseconds", async () => {
    setup.fake.chunkDelayMs = 20;
    const stream = await setup.openai.chat.completions.create(query);
    client.log({ input: query, output: stream, stream: true });
    for await (const _chunk of stream) {
      // consume
    }
    const task = await onlyTask();
    expect(Number.isInteger(task.latency_ms)).toBe(true);
    expect(Number.isInteger(task.time_to_first_token_ms)).toBe(true);
    expect(task.latency_ms as number).toBeGreaterThanOrEqual(task.time_to_first_token_ms as number);
  });

  it("accepts a pending stream (the un-awaited create() promise)", async () => {
    const pending = setup.openai.chat.completions.create(query);
    const logging = client.log({ input: query, output: pending, stream: true });
    const stream = await pending;
    await logging;
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("It's Paris of course.");
    const task = await onlyTask();
    expect(task.output).toBe("It's Paris of course.");
  });

  it("logs a sync generator as one task, and an async generator of strings", async () => {
    function* words() {
      yield "a";
      yield "b";
      yield "c";
    }
    const sync = words();
    client.log({ input: "sync", output: sync, stream: true });
    expect([...sync]).toEqual(["a", "b", "c"]);
    async function* letters() {
      yield "x";
      yield "y";
    }
    const asyncGen = letters();
    client.log({ input: "async", output: asyncGen, stream: true });
    const got: string[] = [];
    for await (const l of asyncGen) got.push(l);
    expect(got).toEqual(["x", "y"]);
    expect(await client.flush(5000)).toBe(true);
    expect(setup.collector.events.map((e) => [e.input, e.output, e.stream_status])).toEqual([
      ["sync", "abc", "completed"],
      ["async", "xy", "completed"],
    ]);
  });

  it("never sends partial chunks as tasks while the stream is slow", async () => {
    setup.fake.chunkDelayMs = 120;
    const stream = await setup.openai.chat.completions.create(query);
    client.log({ input: query, output: stream, stream: true });
    for await (const _chunk of stream) {
      // Several flush intervals pass between chunks.
    }
    const task = await onlyTask();
    expect(task.output).toBe("It's Paris of course.");
  });
});

// `phosphoMiddleware`: the real `ai` package and its mock model, wrapped with `wrapLanguageModel`. Each model
// call (each step of a multi-step run) is one task, however the app reads the result.

import {
  generateObject,
  generateText,
  jsonSchema,
  stepCountIs,
  streamObject,
  streamText,
  tool,
  wrapLanguageModel,
} from "ai";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { phosphoMiddleware } from "../../src/integrations/ai-sdk/index.js";
import { field, fields, TOKEN_FIELDS, useWrapperSetup } from "./setup.js";

const setup = useWrapperSetup();

type GenerateResult = Awaited<ReturnType<MockLanguageModelV4["doGenerate"]>>;

const USAGE = {
  inputTokens: { total: 120, noCache: 20, cacheRead: 90, cacheWrite: 10 },
  outputTokens: { total: 15, text: 10, reasoning: 5 },
};
const STOP = { unified: "stop" as const, raw: "stop" };
const TOOL_CALLS = { unified: "tool-calls" as const, raw: "tool_calls" };

function generated(
  content: GenerateResult["content"],
  finishReason: GenerateResult["finishReason"] = STOP,
): GenerateResult {
  return { content, finishReason, usage: USAGE, warnings: [], response: { modelId: "mock-2024" } };
}

function streamOf(parts: unknown[]): { stream: ReadableStream<never> } {
  return { stream: convertArrayToReadableStream(parts as never[]) };
}

const TEXT_PARTS: unknown[] = [
  { type: "stream-start", warnings: [] },
  { type: "response-metadata", modelId: "mock-2024" },
  { type: "text-start", id: "t" },
  { type: "text-delta", id: "t", delta: "It's " },
  { type: "text-delta", id: "t", delta: "Paris." },
  { type: "text-end", id: "t" },
  { type: "finish", finishReason: STOP, usage: USAGE },
];

function model(mock: ConstructorParameters<typeof MockLanguageModelV4>[0], options = {}) {
  return wrapLanguageModel({
    model: new MockLanguageModelV4({ modelId: "mock", ...mock }),
    middleware: phosphoMiddleware({ phospho: setup.client, ...options }),
  });
}

const weather = tool({
  description: "Weather of a city",
  inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } } }),
  execute: async ({ city }) => ({ city, sky: "sunny" }),
});

describe("generateText", () => {
  it("logs one task with model, system prompt, the prompt, tokens with cache and reasoning, and latency", async () => {
    const m = model(
      { doGenerate: async () => generated([{ type: "text", text: "It's Paris." }]) },
      { sessionId: "s1" },
    );
    const result = await generateText({ model: m, system: "Be brief.", prompt: "Capital of France?" });
    expect(result.text).toBe("It's Paris.");

    const [task, ...others] = await setup.tasks();
    expect(others).toHaveLength(0);
    expect(task).toMatchObject({
      input: "Capital of France?",
      output: "It's Paris.",
      session_id: "s1",
      system_prompt: "Be brief.",
      raw_input: { model: "mock", messages: [{ role: "system", content: "Be brief." }, { role: "user" }] },
    });
    expect(fields(task, ["model", "stream_status", ...TOKEN_FIELDS])).toEqual({
      model: "mock-2024",
      stream_status: "completed",
      prompt_tokens: 120,
      completion_tokens: 15,
      total_tokens: 135,
      cache_read_tokens: 90,
      cache_write_tokens: 10,
      reasoning_tokens: 5,
    });
    expect(field(task, "latency_ms")).toEqual(expect.any(Number));
  });

  it("logs each step of a multi-step run with its tool calls, and the tool results in the next step's input", async () => {
    let calls = 0;
    const m = model({
      doGenerate: async () =>
        calls++ === 0
          ? generated(
              [{ type: "tool-call", toolCallId: "c1", toolName: "weather", input: '{"city":"Paris"}' }],
              TOOL_CALLS,
            )
          : generated([{ type: "text", text: "Sunny in Paris." }]),
    });
    const result = await generateText({
      model: m,
      prompt: "Weather in Paris?",
      tools: { weather },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe("Sunny in Paris.");

    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, field(t, "step_index")])).toEqual([
      ['weather({"city":"Paris"})', 0],
      ["Sunny in Paris.", 1],
    ]);
    expect(JSON.stringify(tasks[1]?.raw_input)).toContain("sunny");
    expect((tasks[0]?.raw_input as { tools: unknown[] }).tools).toHaveLength(1);
  });

  it("logs a failed call with status error and the error's message, and rethrows it", async () => {
    const m = model({
      doGenerate: async () => {
        throw new Error("provider down");
      },
    });
    await expect(generateText({ model: m, prompt: "Hi", maxRetries: 0 })).rejects.toThrow("provider down");
    const [task] = await setup.tasks();
    expect(fields(task, ["stream_status", "error"])).toEqual({
      stream_status: "error",
      error: "provider down",
    });
  });

  it("takes per-call options from providerOptions.phospho", async () => {
    const m = model(
      { doGenerate: async () => generated([{ type: "text", text: "ok" }]) },
      { sessionId: "client" },
    );
    await generateText({
      model: m,
      prompt: "Hi",
      providerOptions: { phospho: { sessionId: "call", userId: "u1", metadata: { feature: "x" } } },
    });
    const [task] = await setup.tasks();
    expect(task).toMatchObject({ session_id: "call", user_id: "u1" });
    expect(field(task, "feature")).toBe("x");
  });
});

describe("streamText", () => {
  const streaming = () => model({ doStream: async () => streamOf(TEXT_PARTS) });

  it("logs the stream once when the app reads textStream, with time to first token", async () => {
    const result = streamText({ model: streaming(), prompt: "Capital of France?" });
    let text = "";
    for await (const piece of result.textStream) text += piece;
    expect(text).toBe("It's Paris.");
    const [task, ...others] = await setup.tasks();
    expect(others).toHaveLength(0);
    expect(task).toMatchObject({ input: "Capital of France?", output: "It's Paris." });
    expect(fields(task, ["model", "stream_status", "cache_read_tokens", "reasoning_tokens"])).toEqual({
      model: "mock-2024",
      stream_status: "completed",
      cache_read_tokens: 90,
      reasoning_tokens: 5,
    });
    const ttft = field(task, "time_to_first_token_ms") as number;
    expect(ttft).toEqual(expect.any(Number));
    expect(ttft).toBeLessThanOrEqual(field(task, "latency_ms") as number);
  });

  it("logs the stream once when the app reads fullStream", async () => {
    const result = streamText({ model: streaming(), prompt: "Capital of France?" });
    for await (const part of result.fullStream) void part;
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.output)).toEqual(["It's Paris."]);
  });

  it("logs the stream once when the app returns toUIMessageStreamResponse()", async () => {
    const result = streamText({ model: streaming(), prompt: "Capital of France?" });
    const body = await result.toUIMessageStreamResponse().text();
    expect(body).toContain("Paris.");
    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, field(t, "stream_status")])).toEqual([["It's Paris.", "completed"]]);
  });

  it("logs streamed tool calls and each step of a multi-step stream", async () => {
    let calls = 0;
    const m = model({
      doStream: async () =>
        streamOf(
          calls++ === 0
            ? [
                { type: "stream-start", warnings: [] },
                { type: "tool-input-start", id: "c1", toolName: "weather" },
                { type: "tool-input-delta", id: "c1", delta: '{"city":"Paris"}' },
                { type: "tool-input-end", id: "c1" },
                { type: "tool-call", toolCallId: "c1", toolName: "weather", input: '{"city":"Paris"}' },
                { type: "finish", finishReason: TOOL_CALLS, usage: USAGE },
              ]
            : TEXT_PARTS,
        ),
    });
    const result = streamText({ model: m, prompt: "Weather?", tools: { weather }, stopWhen: stepCountIs(3) });
    expect(await result.text).toBe("It's Paris.");
    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, field(t, "step_index")])).toEqual([
      ['weather({"city":"Paris"})', 0],
      ["It's Paris.", 1],
    ]);
  });

  it("logs a stream the app aborts as cancelled, with what arrived, and an error part as error", async () => {
    const hanging = model({
      doStream: async () => ({
        // Sends the first words, then waits for more that never come, until the app aborts.
        stream: new ReadableStream<never>({
          start(controller) {
            for (const part of TEXT_PARTS.slice(0, 4)) controller.enqueue(part as never);
          },
        }),
      }),
    });
    const abort = new AbortController();
    const result = streamText({ model: hanging, prompt: "Hi", abortSignal: abort.signal });
    for await (const piece of result.textStream) if (piece) abort.abort();

    const failing = model({
      doStream: async () =>
        streamOf([
          { type: "stream-start", warnings: [] },
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: "Hal" },
          { type: "error", error: new Error("overloaded") },
        ]),
    });
    const broken = streamText({ model: failing, prompt: "Hi", onError: () => {} });
    for await (const part of broken.fullStream) void part;

    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, ...Object.values(fields(t, ["stream_status", "error"]))])).toEqual([
      ["It's ", "cancelled", undefined],
      ["Hal", "error", "overloaded"],
    ]);
  });
});

describe("generateObject and streamObject", () => {
  const schema = jsonSchema<{ city: string }>({
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  });
  const JSON_TEXT = '{"city":"Paris"}';

  it("logs generateObject with the JSON text as output", async () => {
    const m = model({ doGenerate: async () => generated([{ type: "text", text: JSON_TEXT }]) });
    const { object } = await generateObject({ model: m, schema, prompt: "Capital of France?" });
    expect(object).toEqual({ city: "Paris" });
    const [task] = await setup.tasks();
    expect(task).toMatchObject({ output: JSON_TEXT, raw_input: { responseFormat: { type: "json" } } });
  });

  it("logs streamObject once", async () => {
    const m = model({
      doStream: async () =>
        streamOf([
          { type: "stream-start", warnings: [] },
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: '{"city":' },
          { type: "text-delta", id: "t", delta: '"Paris"}' },
          { type: "text-end", id: "t" },
          { type: "finish", finishReason: STOP, usage: USAGE },
        ]),
    });
    const result = streamObject({ model: m, schema, prompt: "Capital of France?" });
    for await (const partial of result.partialObjectStream) void partial;
    expect(await result.object).toEqual({ city: "Paris" });
    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, field(t, "stream_status")])).toEqual([[JSON_TEXT, "completed"]]);
  });
});

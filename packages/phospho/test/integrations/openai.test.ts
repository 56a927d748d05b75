// `wrapOpenAI`: the real `openai` client against the fake provider, logging into the test collector. One task
// per call, streamed or not, with tokens, timings and status; the client's own contract unchanged.

import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { withPhospho, wrapOpenAI } from "../../src/integrations/openai/index.js";
import { field, fields, TOKEN_FIELDS, useWrapperSetup } from "./setup.js";

const setup = useWrapperSetup();

function wrapped(options: Parameters<typeof wrapOpenAI>[1] = {}): OpenAI {
  const openai = new OpenAI({ apiKey: "sk-fake", baseURL: setup.fake.openaiBaseUrl, maxRetries: 0 });
  return wrapOpenAI(openai, { phospho: setup.client, ...options });
}

const messages = [
  { role: "system" as const, content: "You answer in one line." },
  { role: "user" as const, content: "Capital of France?" },
];
const query = { model: "gpt-4o", messages };
const WEATHER = { name: "get_weather", arguments: '{"city":"Paris"}' };

describe("chat.completions.create", () => {
  it("logs a completion with model, system prompt, the full message list, tokens and latency", async () => {
    const openai = new OpenAI({ apiKey: "sk-fake", baseURL: setup.fake.openaiBaseUrl, maxRetries: 0 });
    const same = wrapOpenAI(openai, {
      phospho: setup.client,
      sessionId: "s1",
      userId: "u1",
      metadata: { app: "t" },
    });
    expect(same).toBe(openai);
    const completion = await openai.chat.completions.create(query);
    expect(completion.choices[0]?.message.content).toBe("It's Paris.");

    const [task, ...others] = await setup.tasks();
    expect(others).toHaveLength(0);
    expect(task).toMatchObject({
      input: "Capital of France?",
      output: "It's Paris.",
      session_id: "s1",
      user_id: "u1",

      system_prompt: "You answer in one line.",
      raw_input: { model: "gpt-4o", messages },
    });
    expect(fields(task, TOKEN_FIELDS)).toEqual({
      prompt_tokens: 40,
      completion_tokens: 9,
      total_tokens: 49,
      cache_read_tokens: 32,
      cache_write_tokens: undefined,
      reasoning_tokens: 4,
    });
    expect(field(task, "model")).toBe("gpt-4o-2024"); // the model that answered, not the one asked
    expect(field(task, "stream_status")).toBe("completed");
    expect(field(task, "latency_ms")).toEqual(expect.any(Number));
    expect(field(task, "time_to_first_token_ms")).toBeUndefined();
    expect(field(task, "app")).toBe("t");
  });

  it("logs the tool calls of a completion in the output text and the raw output", async () => {
    setup.fake.script.pieces = [];
    setup.fake.script.toolCalls = [WEATHER];
    await wrapped().chat.completions.create({
      ...query,
      tools: [{ type: "function", function: { name: "get_weather" } }],
    });
    const [task] = await setup.tasks();
    expect(task?.output).toBe('get_weather({"city":"Paris"})');
    expect(task?.raw_output).toMatchObject({
      choices: [
        { message: { tool_calls: [{ id: "call_0", function: WEATHER }] }, finish_reason: "tool_calls" },
      ],
    });
  });

  it("logs a stream once, rebuilt as a completion, with tool calls, usage and time to first token", async () => {
    setup.fake.script.toolCalls = [WEATHER];
    setup.fake.script.firstChunkDelayMs = 30;
    const stream = await wrapped().chat.completions.create({
      ...query,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("It's Paris.");

    const [task, ...others] = await setup.tasks();
    expect(others).toHaveLength(0);
    expect(task).toMatchObject({
      output: `It's Paris.\nget_weather({"city":"Paris"})`,

      raw_output: {
        object: "chat.completion",
        choices: [{ message: { content: "It's Paris.", tool_calls: [{ id: "call_0", function: WEATHER }] } }],
      },
    });
    expect(fields(task, ["prompt_tokens", "cache_read_tokens", "reasoning_tokens", "stream_status"])).toEqual(
      {
        prompt_tokens: 40,
        cache_read_tokens: 32,
        reasoning_tokens: 4,
        stream_status: "completed",
      },
    );
    const ttft = field(task, "time_to_first_token_ms") as number;
    expect(ttft).toBeGreaterThanOrEqual(25); // the fake waits 30 ms before the first chunk
    expect(ttft).toBeLessThanOrEqual(field(task, "latency_ms") as number);
  });

  it("logs a failed call with status error and the error's message, and the caller still gets the error", async () => {
    setup.fake.script.failStatus = 400;
    await expect(wrapped().chat.completions.create(query)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const [task] = await setup.tasks();
    expect(task).toMatchObject({ input: "Capital of France?", output: null });
    expect(field(task, "stream_status")).toBe("error");
    expect(String(field(task, "error"))).toContain("scripted failure");
  });

  it("logs a stream cut by the network as error, with what arrived", async () => {
    setup.fake.script.pieces = ["It's ", "Paris ", "of course."];
    setup.fake.script.breakAfterChunks = 2;
    const stream = await wrapped().chat.completions.create({ ...query, stream: true });
    await expect(
      (async () => {
        for await (const _chunk of stream) void _chunk;
      })(),
    ).rejects.toThrow();
    const [task] = await setup.tasks();
    expect(task?.output).toBe("It's Paris ");
    expect(field(task, "stream_status")).toBe("error");
  });

  it("logs a stream the caller leaves early, or aborts through its controller, as cancelled", async () => {
    setup.fake.script.pieces = ["a", "b", "c", "d"];
    const openai = wrapped();
    const first = await openai.chat.completions.create({ ...query, stream: true });
    for await (const chunk of first) if (chunk.choices[0]?.delta?.content === "b") break;
    const second = await openai.chat.completions.create({ ...query, stream: true });
    for await (const chunk of second) if (chunk.choices[0]?.delta?.content === "a") second.controller.abort();

    const tasks = await setup.tasks();
    expect(tasks.map((t) => field(t, "stream_status"))).toEqual(["cancelled", "cancelled"]);
    // Left at "b"; aborted at "a" (chunks already received may still be read after the abort).
    expect(tasks[0]?.output).toBe("ab");
    expect(tasks[1]?.output).toMatch(/^a/);
  });
});

describe("the client's contract is untouched", () => {
  it("keeps .withResponse() and .asResponse()", async () => {
    const openai = wrapped();
    const { data, response } = await openai.chat.completions.create(query).withResponse();
    expect(data.choices[0]?.message.content).toBe("It's Paris.");
    expect(response.status).toBe(200);
    // `.asResponse()` hands over the body unread: the wrapper never parses it behind the caller's back.
    const raw = await openai.chat.completions.create(query).asResponse();
    expect(((await raw.json()) as { id: string }).id).toBe("chatcmpl-1");
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.output)).toEqual(["It's Paris."]);
  });

  it("keeps tee(): both halves read everything, and the call is logged once", async () => {
    const stream = await wrapped().chat.completions.create({ ...query, stream: true });
    const [left, right] = stream.tee();
    const read = async (s: AsyncIterable<OpenAI.ChatCompletionChunk>) => {
      let text = "";
      for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? "";
      return text;
    };
    expect(await Promise.all([read(left), read(right)])).toEqual(["It's Paris.", "It's Paris."]);
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.output)).toEqual(["It's Paris."]);
  });

  it("keeps toReadableStream() and controller", async () => {
    const stream = await wrapped().chat.completions.create({ ...query, stream: true });
    expect(stream.controller).toBeInstanceOf(AbortController);
    const reader = stream.toReadableStream().getReader();
    let lines = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      lines++;
    }
    expect(lines).toBeGreaterThan(2);
    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, field(t, "stream_status")])).toEqual([["It's Paris.", "completed"]]);
  });

  it("logs the .stream() and .parse() helpers once each (they call create)", async () => {
    const openai = wrapped();
    const runner = openai.chat.completions.stream({ ...query, stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("It's Paris.");
    await openai.chat.completions.parse(query);
    const tasks = await setup.tasks();
    expect(tasks.map((t) => [t.output, field(t, "time_to_first_token_ms") !== undefined])).toEqual([
      ["It's Paris.", true],
      ["It's Paris.", false],
    ]);
  });

  it("wraps the clients made by withOptions() too", async () => {
    const clone = wrapped({ sessionId: "cloned" }).withOptions({ timeout: 5000 });
    await clone.chat.completions.create(query);
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.session_id)).toEqual(["cloned"]);
  });

  it("wrapping twice logs once, with the latest options", async () => {
    const openai = wrapOpenAI(wrapped({ sessionId: "first" }), {
      phospho: setup.client,
      sessionId: "second",
    });
    await openai.chat.completions.create(query);
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.session_id)).toEqual(["second"]);
  });
});

describe("per-call options", () => {
  it("withPhospho() sets session, user, version, task id and metadata for one call, and never reaches the provider", async () => {
    const openai = wrapped({ sessionId: "client", metadata: { app: "t", tier: "free" } });
    await openai.chat.completions.create(
      query,
      withPhospho(
        { sessionId: "call", userId: "u2", versionId: "v2", taskId: "task_call", metadata: { tier: "pro" } },
        { timeout: 5000 },
      ),
    );
    await openai.chat.completions.create(query);
    const tasks = await setup.tasks();
    expect(tasks[0]).toMatchObject({
      task_id: "task_call",
      session_id: "call",
      user_id: "u2",
      version_id: "v2",
    });
    expect(fields(tasks[0], ["app", "tier"])).toEqual({ app: "t", tier: "pro" });
    expect(tasks[1]).toMatchObject({ session_id: "client" });
    expect(fields(tasks[1], ["tier"])).toEqual({ tier: "free" });
    expect(JSON.stringify(setup.fake.requests.map((r) => r.body))).not.toContain("task_call");
  });

  it("carries withPhospho() through the .stream() helper", async () => {
    const runner = wrapped().chat.completions.stream(query, withPhospho({ sessionId: "streamed" }));
    await runner.finalChatCompletion();
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.session_id)).toEqual(["streamed"]);
  });
});

describe("responses.create", () => {
  it("logs a response with instructions as system prompt, tokens with cache and reasoning", async () => {
    const response = await wrapped().responses.create({
      model: "gpt-5",
      instructions: "Be brief.",
      input: "Capital of France?",
    });
    expect(response.output_text).toBe("It's Paris.");
    const [task] = await setup.tasks();
    expect(task).toMatchObject({
      input: "Capital of France?",
      output: "It's Paris.",
      system_prompt: "Be brief.",
    });
    expect(field(task, "model")).toBe("gpt-5-2024");
    expect(fields(task, TOKEN_FIELDS)).toEqual({
      prompt_tokens: 50,
      completion_tokens: 12,
      total_tokens: 62,
      cache_read_tokens: 16,
      cache_write_tokens: undefined,
      reasoning_tokens: 6,
    });
  });

  it("logs a streamed response and the responses.stream() helper once each, from the final event", async () => {
    setup.fake.script.toolCalls = [WEATHER];
    const openai = wrapped();
    const stream = await openai.responses.create({ model: "gpt-5", input: "Weather?", stream: true });
    for await (const event of stream) void event;
    const helper = openai.responses.stream({ model: "gpt-5", input: "Weather?" });
    const final = await helper.finalResponse();
    expect(final.id).toBe("resp_1");

    const tasks = await setup.tasks();
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task.output).toBe(`It's Paris.\nget_weather({"city":"Paris"})`);
      expect(fields(task, ["prompt_tokens", "reasoning_tokens", "stream_status"])).toEqual({
        prompt_tokens: 50,
        reasoning_tokens: 6,
        stream_status: "completed",
      });
      expect(field(task, "time_to_first_token_ms")).toEqual(expect.any(Number));
    }
  });
});

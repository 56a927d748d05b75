// `wrapAnthropic`: the real `@anthropic-ai/sdk` client against the fake provider. Cache tokens are parts of the
// prompt tokens, as the collector's contract says (Anthropic's `input_tokens` leaves them out).

import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { withPhospho, wrapAnthropic } from "../../src/integrations/anthropic/index.js";
import { field, fields, TOKEN_FIELDS, useWrapperSetup } from "./setup.js";

const setup = useWrapperSetup();

function wrapped(options: Parameters<typeof wrapAnthropic>[1] = {}): Anthropic {
  const anthropic = new Anthropic({
    apiKey: "sk-ant-fake",
    baseURL: setup.fake.anthropicBaseUrl,
    maxRetries: 0,
  });
  return wrapAnthropic(anthropic, { phospho: setup.client, ...options });
}

const query = {
  model: "claude-sonnet-4-5",
  max_tokens: 100,
  system: "You answer in one line.",
  messages: [{ role: "user" as const, content: "Capital of France?" }],
};
const TOKENS = {
  prompt_tokens: 130,
  completion_tokens: 7,
  total_tokens: 137,
  cache_read_tokens: 100,
  cache_write_tokens: 20,
  reasoning_tokens: undefined,
};
const WEATHER = { name: "get_weather", arguments: '{"city":"Paris"}' };

describe("messages.create", () => {
  it("logs a message with model, system prompt, the message list, cache tokens and latency", async () => {
    const anthropic = new Anthropic({
      apiKey: "sk-ant-fake",
      baseURL: setup.fake.anthropicBaseUrl,
      maxRetries: 0,
    });
    expect(wrapAnthropic(anthropic, { phospho: setup.client, sessionId: "s1" })).toBe(anthropic);
    const message = await anthropic.messages.create(query);
    expect(message.content[0]).toMatchObject({ type: "text", text: "It's Paris." });

    const [task, ...others] = await setup.tasks();
    expect(others).toHaveLength(0);
    expect(task).toMatchObject({
      input: "Capital of France?",
      output: "It's Paris.",
      session_id: "s1",
      system_prompt: "You answer in one line.",
      raw_input: query,
    });
    expect(fields(task, ["model", "stream_status", ...TOKEN_FIELDS])).toEqual({
      model: "claude-sonnet-4-5",
      stream_status: "completed",
      ...TOKENS,
    });
    expect(field(task, "latency_ms")).toEqual(expect.any(Number));
  });

  it("logs a stream once, rebuilt as a message with its tool use, cache tokens and time to first token", async () => {
    setup.fake.script.toolCalls = [WEATHER];
    const stream = await wrapped().messages.create({ ...query, stream: true });
    let text = "";
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
    expect(text).toBe("It's Paris.");

    const [task] = await setup.tasks();
    expect(task).toMatchObject({
      output: `It's Paris.\nget_weather({"city":"Paris"})`,
      raw_output: {
        type: "message",
        stop_reason: "tool_use",
        content: [
          { type: "text", text: "It's Paris." },
          { type: "tool_use", name: "get_weather", input: { city: "Paris" } },
        ],
      },
    });
    expect(fields(task, ["stream_status", ...TOKEN_FIELDS])).toEqual({
      stream_status: "completed",
      ...TOKENS,
    });
    expect(field(task, "time_to_first_token_ms")).toEqual(expect.any(Number));
  });

  it("logs the messages.stream() helper once, with per-call options", async () => {
    const runner = wrapped().messages.stream(
      query,
      withPhospho({ sessionId: "helper", metadata: { feature: "chat" } }),
    );
    const final = await runner.finalMessage();
    expect(final.content[0]).toMatchObject({ text: "It's Paris." });
    const tasks = await setup.tasks();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ session_id: "helper", output: "It's Paris." });
    expect(fields(tasks[0], ["feature", "stream_status", "cache_read_tokens"])).toEqual({
      feature: "chat",
      stream_status: "completed",
      cache_read_tokens: 100,
    });
  });

  it("logs a failed call with status error and the error's message", async () => {
    setup.fake.script.failStatus = 400;
    await expect(wrapped().messages.create(query)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    const [task] = await setup.tasks();
    expect(task).toMatchObject({ output: null });
    expect(field(task, "stream_status")).toBe("error");
    expect(String(field(task, "error"))).toContain("scripted failure");
  });

  it("wraps the clients made by withOptions() too", async () => {
    await wrapped({ sessionId: "cloned" }).withOptions({ timeout: 5000 }).messages.create(query);
    const tasks = await setup.tasks();
    expect(tasks.map((t) => t.session_id)).toEqual(["cloned"]);
  });

  it("keeps .withResponse() and the stream's controller", async () => {
    const anthropic = wrapped();
    const { data, response } = await anthropic.messages.create(query).withResponse();
    expect(data.id).toBe("msg_1");
    expect(response.status).toBe(200);
    const stream = await anthropic.messages.create({ ...query, stream: true });
    expect(stream.controller).toBeInstanceOf(AbortController);
    for await (const event of stream) if (event.type === "content_block_delta") stream.controller.abort();
    const tasks = await setup.tasks();
    expect(tasks.map((t) => field(t, "stream_status"))).toEqual(["completed", "cancelled"]);
  });
});

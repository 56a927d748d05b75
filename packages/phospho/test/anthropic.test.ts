// The real @anthropic-ai/sdk client against a fake messages endpoint: text and input/output token usage.

import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Phospho } from "../src/node.js";
import { testClient } from "./helpers/client.js";
import { useCollectorAndProvider } from "./helpers/servers.js";

const setup = useCollectorAndProvider();
let anthropic: Anthropic;
let client: Phospho;

beforeAll(() => {
  anthropic = new Anthropic({ apiKey: "sk-ant-fake", baseURL: setup.fake.anthropicBaseUrl, maxRetries: 0 });
  client = testClient(setup.collector).client;
});

afterAll(async () => {
  await client.shutdown(1000);
});

describe("Anthropic messages", () => {
  it("extracts the text, system prompt and input_tokens/output_tokens usage", async () => {
    const query = {
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      system: "You are a frog.",
      messages: [{ role: "user" as const, content: "What's the capital of Fashion?" }],
    };
    const message = await anthropic.messages.create(query);
    const logged = await client.log({ input: query, output: message });
    expect(logged).toMatchObject({
      input: "What's the capital of Fashion?",
      output: "It's Paris of course.",
      system_prompt: "You are a frog.",
      model: "claude-sonnet-4-5",
      prompt_tokens: 12,
      completion_tokens: 5,
      total_tokens: 17,
    });
    expect(await client.flush(5000)).toBe(true);
    expect(setup.collector.events.at(-1)).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
  });

  it("logs an Anthropic stream as one task with usage merged from its events", async () => {
    const query = {
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user" as const, content: "Stream it" }],
      stream: true as const,
    };
    const stream = await anthropic.messages.create(query);
    client.log({ input: query, output: stream, stream: true });
    let text = "";
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
    expect(text).toBe("It's Paris of course.");
    expect(await client.flush(5000)).toBe(true);
    expect(setup.collector.events.at(-1)).toMatchObject({
      input: "Stream it",
      output: "It's Paris of course.",
      stream_status: "completed",
      prompt_tokens: 12,
      completion_tokens: 5,
      total_tokens: 17,
    });
  });
});

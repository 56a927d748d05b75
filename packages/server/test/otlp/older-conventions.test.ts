/**
 * Older GenAI conventions side by side with the current ones: message span events (`gen_ai.*.message` with
 * `gen_ai.event.content` or plain attributes, `gen_ai.choice`), the oldest `gen_ai.content.prompt` /
 * `gen_ai.content.completion` events, and `gen_ai.usage.prompt_tokens`; an error status with an exception event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { newSpanId, newTraceId, span, traces, type AnyValue } from "./payloads.js";

describe("older GenAI conventions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function send(body: unknown) {
    const reply = await t.app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });
    expect(reply.statusCode).toBe(200);
  }

  async function read(traceId: string) {
    const reply = await t.get(`/v2/tasks/${traceId}`);
    expect(reply.statusCode).toBe(200);
    return reply.json() as {
      input: string;
      output: string | null;
      metadata: Record<string, unknown>;
      steps: Array<{
        attributes: Record<string, unknown>;
        input: unknown;
        output: unknown;
        status: string;
        error: string | null;
        prompt_tokens: number;
      }>;
    };
  }

  it("reads message span events and gen_ai.usage.prompt_tokens", async () => {
    const traceId = newTraceId();
    const t0 = Date.now() - 10_000;
    await send(
      traces([
        span(traceId, {
          spanId: newSpanId(),
          name: "chat",
          start: t0,
          end: t0 + 400,
          attributes: {
            "gen_ai.system": "openai",
            "gen_ai.request.model": "gpt-4",
            "gen_ai.usage.prompt_tokens": 7,
            "gen_ai.usage.completion_tokens": 2,
          },
          events: [
            {
              name: "gen_ai.system.message",
              time: t0 + 1,
              attributes: { "gen_ai.event.content": '{"content":"Be brief."}' },
            },
            { name: "gen_ai.user.message", time: t0 + 2, attributes: { content: "Capital of France?" } },
            {
              name: "gen_ai.choice",
              time: t0 + 399,
              attributes: {
                "gen_ai.event.content": '{"index":0,"finish_reason":"stop","message":{"content":"Paris."}}',
              },
            },
          ],
        }),
      ]),
    );
    const task = await read(traceId);
    expect(task.input).toBe("Capital of France?");
    expect(task.output).toBe("Paris.");
    expect(task.metadata).toMatchObject({
      system_prompt: "Be brief.",
      prompt_tokens: 7,
      completion_tokens: 2,
      model: "gpt-4",
    });
    expect(task.steps[0]!.input).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Capital of France?" },
    ]);
  });

  it("reads the oldest prompt and completion events, and an error with its exception", async () => {
    const traceId = newTraceId();
    const t0 = Date.now() - 10_000;
    await send(
      traces([
        span(traceId, {
          spanId: newSpanId(),
          name: "completion",
          start: t0,
          end: t0 + 300,
          attributes: { "gen_ai.request.model": "gpt-3.5-turbo" },
          status: { code: 2 },
          events: [
            {
              name: "gen_ai.content.prompt",
              time: t0,
              attributes: { "gen_ai.prompt": '[{"role":"user","content":"Hi"}]' },
            },
            {
              name: "gen_ai.content.completion",
              time: t0 + 200,
              attributes: { "gen_ai.completion": '[{"role":"assistant","content":"Hello"}]' },
            },
            {
              name: "exception",
              time: t0 + 250,
              attributes: { "exception.type": "RateLimitError", "exception.message": "slow down" },
            },
          ],
        }),
      ]),
    );
    const task = await read(traceId);
    expect(task.input).toBe("Hi");
    expect(task.output).toBe("Hello");
    expect(task.metadata).toMatchObject({ stream_status: "error", error: "RateLimitError: slow down" });
    expect(task.steps[0]).toMatchObject({ status: "error", error: "RateLimitError: slow down" });
  });

  it("keeps provider, server, settings and tools once under the current names, and values it cannot read as they are", async () => {
    const traceId = newTraceId();
    const t0 = Date.now() - 10_000;
    const call = (at: number, attributes: Record<string, AnyValue | string | number>) =>
      span(traceId, { spanId: newSpanId(), name: "chat", start: t0 + at, end: t0 + at + 100, attributes });
    await send(
      traces([
        // OpenLLMetry: the API base URL, indexed function definitions, a finish reason per choice.
        call(0, {
          "llm.request.type": "chat",
          "gen_ai.system": "Anthropic",
          "gen_ai.openai.api_base": "https://llm.internal:8443/v1",
          "llm.request.functions.0.name": "search",
          "llm.request.functions.0.description": "Search the docs",
          "llm.request.functions.0.parameters": '{"type":"object"}',
          "gen_ai.completion.0.role": "assistant",
          "gen_ai.completion.0.content": "Found it.",
          "gen_ai.completion.0.finish_reason": "end_turn",
        }),
        // Values no reader can use stay under their own names.
        call(200, {
          "gen_ai.operation.name": "chat",
          "ai.prompt.tools": { kvlistValue: { values: [] } },
          "gen_ai.response.finish_reasons": 7,
          "gen_ai.openai.api_base": "not a url",
        }),
      ]),
    );
    const [first, second] = (await read(traceId)).steps;
    expect(first!.attributes).toMatchObject({
      "gen_ai.provider.name": "Anthropic",
      "server.address": "llm.internal",
      "server.port": 8443,
      "gen_ai.response.finish_reasons": ["end_turn"],
      "gen_ai.tool.definitions": [
        { type: "function", name: "search", description: "Search the docs", parameters: { type: "object" } },
      ],
    });
    for (const name of ["gen_ai.system", "gen_ai.openai.api_base", "llm.request.functions.0.name"]) {
      expect(first!.attributes[name], name).toBeUndefined();
    }
    expect(second!.attributes).toMatchObject({
      "ai.prompt.tools": {},
      "gen_ai.response.finish_reasons": 7,
      "gen_ai.openai.api_base": "not a url",
    });
    expect(second!.attributes["gen_ai.tool.definitions"]).toBeUndefined();
  });
});

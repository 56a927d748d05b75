/**
 * Older GenAI conventions side by side with the current ones: message span events (`gen_ai.*.message` with
 * `gen_ai.event.content` or plain attributes, `gen_ai.choice`), the oldest `gen_ai.content.prompt` /
 * `gen_ai.content.completion` events, and `gen_ai.usage.prompt_tokens`; an error status with an exception event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { newSpanId, newTraceId, span, traces } from "./payloads.js";

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
});

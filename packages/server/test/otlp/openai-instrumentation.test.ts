/**
 * `@opentelemetry/instrumentation-openai` around the real `openai` client, in a child process (its require hooks
 * need a plain Node module load), talking to a fake OpenAI server started here, content capture on: the message
 * content arrives only as log records, and must end up in the task and its steps.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY, startCollector, type Collector, type WireTask } from "./emitters.js";

const APP = join(dirname(fileURLToPath(import.meta.url)), "fixtures/openai-app.cjs");

/** Answers the first chat call with a tool call, the second with text. */
function fakeOpenAI(): Promise<Server> {
  let calls = 0;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      calls += 1;
      const message =
        calls % 2 === 1
          ? {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: "call_42",
                  type: "function",
                  function: { name: "lookup_order", arguments: '{"id":"42"}' },
                },
              ],
            }
          : { role: "assistant", content: "Order 42 has shipped." };
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          id: `chatcmpl-${calls}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: "gpt-4o-mini-2024-07-18",
          choices: [{ index: 0, message, finish_reason: calls % 2 === 1 ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 40 + calls, completion_tokens: 9, total_tokens: 49 + calls },
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("instrumentation-openai → /v1/traces and /v1/logs", () => {
  let collector: Collector;
  let provider: Server;
  beforeAll(async () => {
    collector = await startCollector();
    provider = await fakeOpenAI();
  }, 60_000);
  afterAll(async () => {
    provider?.close();
    await collector?.stop();
  });

  it("joins the content from log records to the chat spans and the task", async () => {
    const port = (provider.address() as AddressInfo).port;
    const { stdout } = await promisify(execFile)(process.execPath, [APP], {
      env: {
        PATH: process.env.PATH ?? "",
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.origin,
        OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${KEY}`,
        OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      },
    });
    const traceId = stdout.trim();
    const task = await collector.v2<WireTask>(`/tasks/${traceId}`);
    expect(task.input).toBe("Where is order 42?");
    expect(task.output).toBe("Order 42 has shipped.");
    expect(task.session_id).toBe("openai-session");
    expect(task.metadata).toMatchObject({
      user_id: "linus",
      environment: "test",
      system_prompt: "You are a support agent.",
      prompt_tokens: 83,
      completion_tokens: 18,
      model: "gpt-4o-mini-2024-07-18",
      provider: "openai",
      server_address: `127.0.0.1:${port}`,
      finish_reason: "stop",
    });
    const chats = task.steps.filter((step) => step.kind === "llm");
    expect(chats).toHaveLength(2);
    // gen_ai.system (older name) kept once, under the current one.
    expect(chats[0]!.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "server.address": "127.0.0.1",
      "server.port": port,
      "gen_ai.response.finish_reasons": ["tool_calls"],
      "gen_ai.response.id": "chatcmpl-1",
    });
    expect(chats[0]!.attributes["gen_ai.system"]).toBeUndefined();
    expect(chats[0]!.output).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_42", type: "function", function: { name: "lookup_order", arguments: '{"id":"42"}' } },
        ],
      },
    ]);
    const conversation = (task.additional_input as { messages: Array<{ role: string }> }).messages;
    expect(conversation.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);

    // The dashboard's API: the same steps, and the fields read from GenAI attributes apart from the user's own.
    const detail = await collector.api<{
      steps: WireTask["steps"];
      user_metadata: Record<string, unknown>;
      derived_metadata: Record<string, unknown>;
    }>(`/tasks/${traceId}`);
    expect(detail.steps).toEqual(task.steps);
    expect(detail.derived_metadata).toMatchObject({
      provider: "openai",
      server_address: `127.0.0.1:${port}`,
      finish_reason: "stop",
      model: "gpt-4o-mini-2024-07-18",
    });
    for (const key of ["provider", "server_address", "finish_reason"]) {
      expect(detail.user_metadata[key], key).toBeUndefined();
    }
  });
});

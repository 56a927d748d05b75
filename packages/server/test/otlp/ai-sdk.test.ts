/**
 * The real `ai` package (Vercel AI SDK) with a mock model and `experimental_telemetry` on, exporting through the
 * OpenTelemetry SDK's protobuf exporter to the real `phospho-server`: a multi-step `generateText` with a tool, and a
 * `streamText`.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { generateText, jsonSchema, simulateReadableStream, stepCountIs, streamText, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY, startCollector, type Collector, type WireTask } from "./emitters.js";

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

describe("Vercel AI SDK telemetry → /v1/traces", () => {
  let collector: Collector;
  let provider: NodeTracerProvider;
  beforeAll(async () => {
    collector = await startCollector();
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ "service.name": "ai-sdk-app", "service.version": "3.1.0" }),
      spanProcessors: [
        new BatchSpanProcessor(
          new OTLPTraceExporter({
            url: `${collector.origin}/v1/traces`,
            headers: { Authorization: `Bearer ${KEY}` },
          }),
        ),
      ],
    });
    provider.register();
  }, 60_000);
  afterAll(async () => {
    await provider?.shutdown();
    await collector?.stop();
  });

  async function latestTask(): Promise<WireTask> {
    await provider.forceFlush();
    const { tasks } = await fetch(`${collector.origin}/v2/projects/otlp-project/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ limit: 1 }),
    }).then((res) => res.json() as Promise<{ tasks: Array<{ id: string }> }>);
    return collector.v2<WireTask>(`/tasks/${tasks[0]!.id}`);
  }

  it("maps a multi-step generateText with a tool call to a task with agent, llm and tool steps", async () => {
    const model = new MockLanguageModelV3({
      modelId: "mock-weather-model",
      doGenerate: [
        {
          content: [
            { type: "tool-call", toolCallId: "call-1", toolName: "weather", input: '{"city":"Lyon"}' },
          ],
          finishReason: { unified: "tool-calls", raw: undefined },
          usage: usage(30, 8),
          warnings: [],
        },
        {
          content: [{ type: "text", text: "It is sunny in Lyon." }],
          finishReason: { unified: "stop", raw: undefined },
          usage: usage(50, 6),
          warnings: [],
        },
      ],
    });
    const result = await generateText({
      model,
      system: "You are a weather bot.",
      prompt: "What is the weather in Lyon?",
      tools: {
        weather: tool({
          description: "Weather of a city",
          inputSchema: jsonSchema<{ city: string }>({
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
          }),
          execute: async ({ city }) => ({ city, sky: "sunny" }),
        }),
      },
      stopWhen: stepCountIs(3),
      temperature: 0.3,
      maxOutputTokens: 200,
      experimental_telemetry: {
        isEnabled: true,
        functionId: "weather-agent",
        metadata: { sessionId: "ai-session-1", userId: "grace" },
      },
    });
    expect(result.text).toBe("It is sunny in Lyon.");

    const task = await latestTask();
    expect(task.input).toBe("What is the weather in Lyon?");
    expect(task.output).toBe("It is sunny in Lyon.");
    expect(task.session_id).toBe("ai-session-1");
    expect(task.metadata).toMatchObject({
      user_id: "grace",
      system_prompt: "You are a weather bot.",
      prompt_tokens: 80,
      completion_tokens: 14,
      model: "mock-weather-model",
      version_id: "3.1.0",
      provider: "mock-provider",
      finish_reason: "stop",
    });
    // The AI SDK's own names for provider, settings, tools, finish reason and response id, kept once each under
    // the current semantic conventions' names.
    const firstCall = task.steps.find((step) => step.kind === "llm")!;
    expect(firstCall.attributes).toMatchObject({
      "gen_ai.provider.name": "mock-provider",
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.max_tokens": 200,
      "gen_ai.request.tool_choice": { type: "auto" },
      "gen_ai.response.finish_reasons": ["tool-calls"],
      "gen_ai.tool.definitions": [
        {
          type: "function",
          name: "weather",
          description: "Weather of a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      ],
    });
    expect(typeof firstCall.attributes["gen_ai.response.id"]).toBe("string");
    for (const name of [
      "ai.model.provider",
      "gen_ai.system",
      "ai.settings.temperature",
      "ai.settings.maxOutputTokens",
      "ai.prompt.tools",
      "ai.prompt.toolChoice",
      "ai.response.finishReason",
      "ai.response.id",
    ]) {
      expect(firstCall.attributes[name], name).toBeUndefined();
    }
    const kinds = task.steps.map((step) => step.kind);
    expect(kinds.filter((kind) => kind === "llm")).toHaveLength(2);
    expect(kinds).toContain("tool");
    expect(kinds).toContain("agent");
    const toolStep = task.steps.find((step) => step.kind === "tool")!;
    expect(toolStep.input).toEqual({ city: "Lyon" });
    expect(toolStep.attributes).toMatchObject({
      "gen_ai.tool.name": "weather",
      "gen_ai.tool.call.id": "call-1",
    });
    expect(toolStep.attributes["ai.toolCall.name"]).toBeUndefined();
    expect(toolStep.output).toEqual({ city: "Lyon", sky: "sunny" });
    const root = task.steps.find((step) => step.parent_id === null)!;
    expect(task.steps.filter((step) => step !== root).every((step) => step.parent_id !== null)).toBe(true);
    // The conversation as the last call saw it: system, user, the assistant's tool call and the tool's result.
    const conversation = (task.additional_input as { messages: Array<{ role: string }> }).messages;
    expect(conversation.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
  });

  it("maps a streamText to a task with its time to first chunk", async () => {
    const model = new MockLanguageModelV3({
      modelId: "mock-stream-model",
      doStream: {
        stream: simulateReadableStream({
          chunks: [
            { type: "text-start", id: "t1" },
            { type: "text-delta", id: "t1", delta: "Hello, " },
            { type: "text-delta", id: "t1", delta: "stream!" },
            { type: "text-end", id: "t1" },
            { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage: usage(12, 4) },
          ],
        }),
      },
    });
    const result = streamText({
      model,
      prompt: "Say hello",
      experimental_telemetry: { isEnabled: true, functionId: "greeter" },
    });
    expect(await result.text).toBe("Hello, stream!");
    const task = await latestTask();
    expect(task.input).toBe("Say hello");
    expect(task.output).toBe("Hello, stream!");
    expect(task.metadata).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 4,
      model: "mock-stream-model",
    });
    const llm = task.steps.find((step) => step.kind === "llm")!;
    expect(typeof (llm as { ttft_ms?: number | null }).ttft_ms).toBe("number");
  });
});

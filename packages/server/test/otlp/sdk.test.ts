/**
 * The OpenTelemetry JS SDK with the OTLP exporters (protobuf and JSON, traces and logs) exporting to the real
 * `phospho-server` binary, read back through `/v2`, on SQLite and PostgreSQL.
 */
import { ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { loggerProvider, startCollector, tracerProvider, type Collector, type WireTask } from "./emitters.js";

const messages = (list: Array<[string, string]>) =>
  JSON.stringify(list.map(([role, content]) => ({ role, parts: [{ type: "text", content }] })));

describe.each(await storeEngines())("OpenTelemetry SDK → /v1 on $name", (engine) => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector(await engine.create());
  }, 60_000);
  afterAll(async () => {
    await collector?.stop();
  });

  it.each(["protobuf", "json"] as const)(
    "an agent trace in %s becomes one task with its steps, content from log records joined",
    async (encoding) => {
      const provider = tracerProvider(collector.origin, encoding, {
        "service.version": "2.0.0",
        "deployment.environment": "staging",
      });
      const tracer = provider.getTracer("test-agent");
      const t0 = Date.now() - 10_000;
      const root = tracer.startSpan("invoke_agent planner", {
        startTime: t0,
        attributes: {
          "gen_ai.operation.name": "invoke_agent",
          "gen_ai.conversation.id": `conv-${encoding}`,
          "user.id": "ada",
        },
      });
      const inRoot = trace.setSpan(ROOT_CONTEXT, root);
      const first = tracer.startSpan(
        "chat gpt-4o",
        {
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.usage.input_tokens": 100,
            "gen_ai.usage.output_tokens": 20,
            "gen_ai.usage.cache_read.input_tokens": 40,
            "gen_ai.input.messages": messages([
              ["system", "You plan trips."],
              ["user", "Weather in Paris?"],
            ]),
            "gen_ai.output.messages": JSON.stringify([
              {
                role: "assistant",
                parts: [{ type: "tool_call", id: "call_1", name: "weather", arguments: { city: "Paris" } }],
              },
            ]),
          },
          startTime: t0 + 10,
        },
        inRoot,
      );
      first.end(t0 + 900);
      const tool = tracer.startSpan(
        "execute_tool weather",
        {
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "weather",
            "gen_ai.tool.call.arguments": '{"city":"Paris"}',
            "gen_ai.tool.call.result": '{"celsius":21}',
          },
          startTime: t0 + 950,
        },
        inRoot,
      );
      tool.end(t0 + 1_000);
      // The second call's content comes as log records only, as instrumentation-openai sends it.
      const second = tracer.startSpan(
        "chat gpt-4o",
        {
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.usage.input_tokens": 150,
            "gen_ai.usage.output_tokens": 30,
          },
          startTime: t0 + 1_050,
        },
        inRoot,
      );
      second.setStatus({ code: SpanStatusCode.OK });
      second.end(t0 + 2_000);
      root.end(t0 + 2_100);
      await provider.forceFlush();
      const logs = loggerProvider(collector.origin, encoding);
      const logger = logs.getLogger("test-logs");
      const inSecond = trace.setSpan(ROOT_CONTEXT, second);
      logger.emit({
        eventName: "gen_ai.user.message",
        body: { content: "Weather in Paris?" },
        context: inSecond,
      });
      logger.emit({
        eventName: "gen_ai.tool.message",
        body: { content: '{"celsius":21}', id: "call_1" },
        context: inSecond,
      });
      logger.emit({
        eventName: "gen_ai.choice",
        body: { index: 0, finish_reason: "stop", message: { content: "It is 21°C in Paris." } },
        context: inSecond,
      });
      await logs.forceFlush();

      const traceId = root.spanContext().traceId;
      const task = await collector.v2<WireTask>(`/tasks/${traceId}`);
      // The dashboard's API reads the same steps.
      expect((await collector.api<{ steps: WireTask["steps"] }>(`/tasks/${traceId}`)).steps).toEqual(
        task.steps,
      );
      expect(task.id).toBe(traceId);
      expect(task.input).toBe("Weather in Paris?");
      expect(task.output).toBe("It is 21°C in Paris.");
      expect(task.session_id).toBe(`conv-${encoding}`);
      expect(task.metadata).toMatchObject({
        user_id: "ada",
        version_id: "2.0.0",
        environment: "staging",
        system_prompt: "You plan trips.",
        prompt_tokens: 250,
        completion_tokens: 50,
        total_tokens: 300,
        cache_read_tokens: 40,
        model: "gpt-4o",
        latency_ms: 2_100,
      });
      expect(task.steps.map((step) => step.kind).sort()).toEqual(["agent", "llm", "llm", "tool"]);
      const byId = new Map(task.steps.map((step) => [step.id, step]));
      const toolStep = byId.get(tool.spanContext().spanId)!;
      expect(toolStep).toMatchObject({
        parent_id: root.spanContext().spanId,
        input: { city: "Paris" },
        output: { celsius: 21 },
      });
      const firstStep = byId.get(first.spanContext().spanId)!;
      expect(firstStep.model).toBe("gpt-4o-2024-08-06");
      expect(firstStep.output).toEqual([
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          ],
        },
      ]);
      const secondStep = byId.get(second.spanContext().spanId)!;
      expect(secondStep.status).toBe("ok");
      expect(secondStep.input).toEqual([
        { role: "user", content: "Weather in Paris?" },
        { role: "tool", content: '{"celsius":21}', tool_call_id: "call_1" },
      ]);
      expect(task.additional_output).toEqual({
        messages: [{ role: "assistant", content: "It is 21°C in Paris." }],
      });
      expect(firstStep.attributes).not.toHaveProperty("gen_ai.input.messages");
      expect(firstStep.attributes).toHaveProperty("gen_ai.operation.name", "chat");
    },
  );
});

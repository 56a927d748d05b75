/**
 * OTLP protobuf request bodies made the way an app makes them: spans from the OpenTelemetry SDK, serialized by its
 * own protobuf serializer. Each body holds `tracesPerBody` agent traces of `spansPerTrace` spans (a root, then
 * alternating LLM calls with GenAI message attributes and tool calls), new trace ids in every body.
 */
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ANSWER, QUESTION, SYSTEM_PROMPT } from "../../lib/payloads.js";

const parts = (role: string, text: string) => ({ role, parts: [{ type: "text", content: text }] });
const INPUT = JSON.stringify([parts("system", SYSTEM_PROMPT), parts("user", QUESTION)]);
const OUTPUT = JSON.stringify([parts("assistant", ANSWER)]);

export async function otlpBodies(
  count: number,
  tracesPerBody: number,
  spansPerTrace: number,
): Promise<Buffer[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "bench-app", "service.version": "v1" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("bench");
  const bodies: Buffer[] = [];
  const t0 = Date.now() - 60_000;
  for (let b = 0; b < count; b++) {
    exporter.reset();
    for (let t = 0; t < tracesPerBody; t++) {
      const root = tracer.startSpan("invoke_agent", {
        startTime: t0,
        attributes: {
          "gen_ai.operation.name": "invoke_agent",
          "session.id": `s${b % 50}`,
          "user.id": `u${t}`,
        },
      });
      const inRoot = trace.setSpan(ROOT_CONTEXT, root);
      for (let s = 1; s < spansPerTrace; s++) {
        const llm = s % 2 === 1;
        const span = tracer.startSpan(
          llm ? "chat gpt-4o-mini" : "execute_tool lookup",
          {
            startTime: t0 + s * 10,
            attributes: llm
              ? {
                  "gen_ai.operation.name": "chat",
                  "gen_ai.request.model": "gpt-4o-mini",
                  "gen_ai.usage.input_tokens": 42,
                  "gen_ai.usage.output_tokens": 21,
                  "gen_ai.input.messages": INPUT,
                  "gen_ai.output.messages": OUTPUT,
                }
              : {
                  "gen_ai.operation.name": "execute_tool",
                  "gen_ai.tool.call.arguments": '{"id":42}',
                  "gen_ai.tool.call.result": '{"ok":true}',
                },
          },
          inRoot,
        );
        span.end(t0 + s * 10 + 8);
      }
      root.end(t0 + spansPerTrace * 10);
    }
    await provider.forceFlush();
    bodies.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!));
  }
  return bodies;
}

/**
 * Requests in pieces, twice, and malformed, against the real `phospho-server` binary: a trace split over three
 * requests in reverse order gives the same task as in one; a repeat changes nothing; bad input never gets a 5xx and
 * costs only the bad items.
 */
import { gzipSync } from "node:zlib";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { post, startCollector, type Collector, type WireTask } from "./emitters.js";
import { attrs, logs, nanos, newSpanId, newTraceId, span, str, traces } from "./payloads.js";

const JSON_HEADERS = { "content-type": "application/json" };

/** An agent trace: root, two LLM calls around a tool call, and the second call's content as log records. */
function agentTrace(traceId: string, t0: number) {
  const [root, first, tool, second] = [newSpanId(), newSpanId(), newSpanId(), newSpanId()];
  const spans = [
    span(traceId, {
      spanId: root,
      name: "agent",
      start: t0,
      end: t0 + 3_000,
      attributes: { "gen_ai.operation.name": "invoke_agent", "session.id": "split-session" },
    }),
    span(traceId, {
      spanId: first,
      parentSpanId: root,
      name: "chat",
      start: t0 + 10,
      end: t0 + 1_000,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": 10,
        "gen_ai.usage.output_tokens": 3,
        "gen_ai.input.messages": JSON.stringify([
          { role: "user", parts: [{ type: "text", content: "Add 2 and 3" }] },
        ]),
      },
    }),
    span(traceId, {
      spanId: tool,
      parentSpanId: root,
      name: "add",
      start: t0 + 1_010,
      end: t0 + 1_020,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.call.arguments": '{"a":2,"b":3}',
        "gen_ai.tool.call.result": "5",
      },
    }),
    span(traceId, {
      spanId: second,
      parentSpanId: root,
      name: "chat",
      start: t0 + 1_030,
      end: t0 + 2_900,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": 20,
        "gen_ai.usage.output_tokens": 4,
      },
    }),
  ];
  const records = [
    {
      timeUnixNano: nanos(t0 + 1_031),
      traceId,
      spanId: second,
      eventName: "gen_ai.user.message",
      body: { kvlistValue: { values: attrs({ content: "Add 2 and 3" }) } },
    },
    {
      timeUnixNano: nanos(t0 + 2_899),
      traceId,
      spanId: second,
      eventName: "gen_ai.choice",
      body: {
        kvlistValue: {
          values: [{ key: "message", value: { kvlistValue: { values: attrs({ content: "2 + 3 = 5" }) } } }],
        },
      },
    },
  ];
  return { spans, records };
}

/** What must not depend on how the trace arrived. */
const essence = (task: WireTask) => ({
  input: task.input,
  output: task.output,
  session_id: task.session_id,
  tokens: [task.metadata.prompt_tokens, task.metadata.completion_tokens, task.metadata.latency_ms],
  steps: task.steps.map((step) => [
    step.name,
    step.kind,
    step.ended_at! - step.started_at,
    step.input,
    step.output,
  ]),
});

describe.each(await storeEngines())("OTLP requests in pieces on $name", (engine) => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector(await engine.create());
  }, 60_000);
  afterAll(async () => {
    await collector?.stop();
  });

  it("a trace split over three requests in reverse order, then sent twice, equals the trace sent at once", async () => {
    const t0 = Date.now() - 60_000;
    const whole = newTraceId();
    const once = agentTrace(whole, t0);
    expect(
      (await post(collector.origin, "/v1/traces", JSON.stringify(traces(once.spans)), JSON_HEADERS)).status,
    ).toBe(200);
    expect(
      (await post(collector.origin, "/v1/logs", JSON.stringify(logs(once.records)), JSON_HEADERS)).status,
    ).toBe(200);

    const split = newTraceId();
    const pieces = agentTrace(split, t0);
    const requests = [
      ["/v1/traces", traces(pieces.spans.slice(0, 2))],
      ["/v1/logs", logs(pieces.records)],
      ["/v1/traces", traces(pieces.spans.slice(2))],
    ] as const;
    for (const [path, body] of [...requests].reverse()) {
      expect((await post(collector.origin, path, JSON.stringify(body), JSON_HEADERS)).status).toBe(200);
    }
    const before = await collector.v2<WireTask>(`/tasks/${split}`);
    for (const [path, body] of requests)
      await post(collector.origin, path, JSON.stringify(body), JSON_HEADERS);
    const after = await collector.v2<WireTask>(`/tasks/${split}`);

    const expected = await collector.v2<WireTask>(`/tasks/${whole}`);
    expect(expected.input).toBe("Add 2 and 3");
    expect(expected.output).toBe("2 + 3 = 5");
    expect(expected.steps).toHaveLength(4);
    expect(essence(before)).toEqual(essence(expected));
    expect(essence(after)).toEqual(essence(expected));
    expect(after.steps.find((step) => step.name === "add")).toMatchObject({
      kind: "tool",
      input: { a: 2, b: 3 },
      output: "5",
    });
  });
});

describe("malformed OTLP requests", () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector();
  }, 60_000);
  afterAll(async () => {
    await collector?.stop();
  });

  async function protobufTrace(): Promise<Uint8Array> {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer("corpus");
    for (let i = 0; i < 5; i += 1)
      tracer.startSpan(`span ${i}`, { attributes: { "gen_ai.request.model": "m" } }).end();
    await provider.forceFlush();
    return ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;
  }

  it("answers a truncated protobuf with 400 and a protobuf Status", async () => {
    const body = await protobufTrace();
    const res = await post(collector.origin, "/v1/traces", body.subarray(0, body.length - 7), {
      "content-type": "application/x-protobuf",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/x-protobuf");
    expect(res.body.toString("latin1")).toContain("not a protobuf ExportTraceServiceRequest");
  });

  it("takes protobuf gzipped, and refuses other content types and encodings", async () => {
    const body = await protobufTrace();
    const ok = await post(collector.origin, "/v1/traces", gzipSync(body), {
      "content-type": "application/x-protobuf",
      "content-encoding": "gzip",
    });
    expect(ok.status).toBe(200);
    const text = await post(collector.origin, "/v1/traces", "hello", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(JSON.parse(text.body.toString()).message).toContain(
      "Content-Type must be application/x-protobuf or application/json",
    );
    const brotli = await post(collector.origin, "/v1/traces", "{}", {
      ...JSON_HEADERS,
      "content-encoding": "br",
    });
    expect(brotli.status).toBe(415);
    const badGzip = await post(collector.origin, "/v1/traces", "not gzip", {
      ...JSON_HEADERS,
      "content-encoding": "gzip",
    });
    expect(badGzip.status).toBe(400);
  });

  it("answers a 20 MB body with 413, and a gzip bomb too", async () => {
    const big = await post(
      collector.origin,
      "/v1/traces",
      Buffer.alloc(20 * 1024 * 1024, 0x20),
      JSON_HEADERS,
    );
    expect(big.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    const inflated = await post(collector.origin, "/v1/traces", bomb, {
      ...JSON_HEADERS,
      "content-encoding": "gzip",
    });
    expect(inflated.status).toBe(413);
  });

  it("answers more spans in one request than the /v2/log event limit with 413, naming the limit", async () => {
    const traceId = newTraceId();
    const many = Array.from({ length: 10_001 }, (_, index) =>
      span(traceId, { spanId: newSpanId(), name: `s${index}`, start: 1_000, end: 2_000 }),
    );
    const res = await post(collector.origin, "/v1/traces", JSON.stringify(traces(many)), JSON_HEADERS);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString()).message).toMatch(/10001 spans, more than the limit of 10000/);
  });

  it("checks the key before anything else", async () => {
    const res = await fetch(`${collector.origin}/v1/traces`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: "{}",
    });
    expect(res.status).toBe(401);
    const wrong = await fetch(`${collector.origin}/v1/logs`, {
      method: "POST",
      headers: { ...JSON_HEADERS, authorization: "Bearer nope" },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
  });

  it("rejects only the bad spans, keeps every AnyValue kind, and answers with a partial success", async () => {
    const traceId = newTraceId();
    const good = newSpanId();
    const t0 = Date.now() - 5_000;
    const everyKind = {
      s: str("text\u0000with nul"),
      b: { boolValue: true },
      i: { intValue: "9007199254740993" },
      d: { doubleValue: 1.5 },
      nan: { doubleValue: "NaN" },
      a: { arrayValue: { values: [str("x"), { intValue: 2 }] } },
      kv: { kvlistValue: { values: attrs({ inner: "y" }) } },
      bytes: { bytesValue: "AQID" },
      empty: {},
      ["__proto__"]: { kvlistValue: { values: attrs({ polluted: "yes" }) } },
    };
    const body = traces([
      span(undefined, { spanId: newSpanId(), name: "no trace id", start: t0, end: t0 + 1 }),
      span(traceId, { spanId: "zz", name: "bad span id", start: t0, end: t0 + 1 }),
      { traceId, spanId: newSpanId(), name: "no start" },
      "not a span",
      span(traceId, { spanId: good, name: "kept", start: t0, end: t0 + 10, attributes: everyKind }),
    ]);
    const res = await post(collector.origin, "/v1/traces", JSON.stringify(body), JSON_HEADERS);
    expect(res.status).toBe(200);
    const reply = JSON.parse(res.body.toString()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(reply.partialSuccess.rejectedSpans).toBe(4);
    expect(reply.partialSuccess.errorMessage).toContain("traceId");
    const task = await collector.v2<WireTask>(`/tasks/${traceId}`);
    expect(task.steps.map((step) => step.name)).toEqual(["kept"]);
    expect(task.steps[0]!.attributes).toMatchObject({
      s: "textwith nul",
      b: true,
      i: "9007199254740993",
      d: 1.5,
      nan: "NaN",
      a: ["x", 2],
      kv: { inner: "y" },
      bytes: "AQID",
      empty: null,
    });
    expect(Object.hasOwn(task.steps[0]!.attributes, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps spans whose values nest too deeply, as text or cut, without a 5xx", async () => {
    const traceId = newTraceId();
    const t0 = Date.now() - 5_000;
    let deep: Record<string, unknown> = str("bottom");
    for (let i = 0; i < 300; i += 1) deep = { arrayValue: { values: [deep] } };
    const nestedJson = "[".repeat(200_000) + "]".repeat(200_000);
    const body = traces([
      span(traceId, {
        spanId: newSpanId(),
        name: "deep tool",
        start: t0,
        end: t0 + 5,
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.call.arguments": nestedJson,
          deep,
        },
      }),
    ]);
    const res = await post(collector.origin, "/v1/traces", JSON.stringify(body), JSON_HEADERS);
    expect(res.status).toBe(200);
    const task = await collector.v2<WireTask>(`/tasks/${traceId}`);
    expect(typeof task.steps[0]!.input).toBe("string");
    expect(task.steps[0]!.input as string).toContain("[truncated:");
  });

  it("answers bodies that are not OTLP objects with 400, and log records without a span as rejected", async () => {
    for (const text of ["[1,2]", "{not json", '"text"']) {
      const res = await post(collector.origin, "/v1/traces", text, JSON_HEADERS);
      expect(res.status).toBe(400);
    }
    const res = await post(
      collector.origin,
      "/v1/logs",
      JSON.stringify(
        logs([
          { body: str("no span") },
          { eventName: "app.log", traceId: newTraceId(), spanId: newSpanId(), body: str("plain") },
        ]),
      ),
      JSON_HEADERS,
    );
    expect(res.status).toBe(200);
    const reply = JSON.parse(res.body.toString()) as {
      partialSuccess: { rejectedLogRecords: number; errorMessage: string };
    };
    expect(reply.partialSuccess.rejectedLogRecords).toBe(1);
    expect(reply.partialSuccess.errorMessage).toContain("1 log records carried no GenAI message content");
  });
});

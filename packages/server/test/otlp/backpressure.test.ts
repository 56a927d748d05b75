/**
 * 429 with Retry-After when a project's OTLP backlog is full, against the real `phospho-server` binary on
 * PostgreSQL. The backlog is made to stay by the test itself: it holds a lock on the `steps` table in its own
 * transaction, so the first export waits for its commit, deterministically, until the test lets it go. Then a raw
 * request (protobuf and JSON) gets 429 with Retry-After and a google.rpc.Status in its own encoding, and a real
 * OpenTelemetry exporter, through a recording proxy, is refused, waits, retries and succeeds.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPostgresDatabase, postgresAvailable, type TestDatabase } from "../helpers/postgres.js";
import { runCli } from "../helpers/server-process.js";
import { KEY, post, startCollector, type Collector, type WireTask } from "./emitters.js";
import { newSpanId, newTraceId, span, traces } from "./payloads.js";

const LIMIT = 10;
const JSON_HEADERS = { "content-type": "application/json" };
const PROTOBUF_HEADERS = { "content-type": "application/x-protobuf" };

const Status = new protobuf.Type("Status")
  .add(new protobuf.Field("code", 1, "int32"))
  .add(new protobuf.Field("message", 2, "string"));
new protobuf.Root().define("google.rpc").add(Status);

function spans(traceId: string, count: number) {
  const t0 = Date.now() - 5_000;
  return traces(
    Array.from({ length: count }, (_, index) =>
      span(traceId, { spanId: newSpanId(), name: `step ${index}`, start: t0 + index, end: t0 + index + 1 }),
    ),
  );
}

const HOP_BY_HOP = ["host", "connection", "keep-alive", "transfer-encoding", "content-length"];

/** An HTTP proxy to the collector that records the status of every answer. */
async function recordingProxy(target: string): Promise<{ url: string; statuses: number[]; server: Server }> {
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && !HOP_BY_HOP.includes(name)) headers[name] = value;
      }
      void fetch(`${target}${request.url}`, { method: "POST", headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          statuses.push(answer.status);
          const body = Buffer.from(await answer.arrayBuffer());
          const kept = [...answer.headers].filter(([name]) => !HOP_BY_HOP.includes(name));
          response.writeHead(answer.status, Object.fromEntries(kept));
          response.end(body);
        })
        .catch(() => response.destroy());
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, statuses, server };
}

describe.skipIf(!(await postgresAvailable()))("OTLP back-pressure: 429 with Retry-After", () => {
  let database: TestDatabase;
  let collector: Collector;
  let locker: pg.Client;
  let otherKey: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    collector = await startCollector(database, { PHOSPHO_OTLP_MAX_PENDING: String(LIMIT) });
    const created = await runCli(["projects", "create", "other", "--db", database.url]);
    otherKey = /^PHOSPHO_API_KEY=(\S+)$/m.exec(created.stdout)![1]!;
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
  }, 60_000);
  afterAll(async () => {
    await locker?.end().catch(() => {});
    await collector?.stop();
  });

  /** Holds writes to `steps` until `release`; resolves once the collector's first write waits for it. */
  async function holdWrites(): Promise<{ release: () => Promise<void> }> {
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE steps IN EXCLUSIVE MODE");
    return { release: async () => void (await locker.query("ROLLBACK")) };
  }

  async function waitForBlockedWriter(): Promise<void> {
    await vi.waitFor(
      async () => {
        const { rows } = await locker.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        expect(Number(rows[0]!.n)).toBeGreaterThan(0);
      },
      { timeout: 20_000, interval: 50 },
    );
  }

  it("refuses the project past its backlog in the request's encoding, never another project", async () => {
    const held = await holdWrites();
    const first = newTraceId();
    // 5 spans wait for their commit: the backlog holds 5 of 10.
    const waiting = post(collector.origin, "/v1/traces", JSON.stringify(spans(first, 5)), JSON_HEADERS);
    await waitForBlockedWriter();

    const refusedJson = await post(
      collector.origin,
      "/v1/traces",
      JSON.stringify(spans(newTraceId(), LIMIT)),
      JSON_HEADERS,
    );
    expect(refusedJson.status).toBe(429);
    expect(refusedJson.headers.get("retry-after")).toBe("1");
    expect(refusedJson.headers.get("content-type")).toMatch(/^application\/json/);
    const status = JSON.parse(refusedJson.body.toString()) as { code: number; message: string };
    expect(status.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(status.message).toMatch(/awaiting commit.*PHOSPHO_OTLP_MAX_PENDING/);

    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer("backpressure");
    for (let index = 0; index < LIMIT; index += 1) tracer.startSpan(`proto ${index}`).end();
    const body = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;
    const refusedProto = await post(collector.origin, "/v1/traces", body, PROTOBUF_HEADERS);
    expect(refusedProto.status).toBe(429);
    expect(refusedProto.headers.get("retry-after")).toBe("1");
    expect(refusedProto.headers.get("content-type")).toMatch(/^application\/x-protobuf/);
    expect(Status.toObject(Status.decode(refusedProto.body))).toMatchObject({ code: 8 });

    // Another project is not refused: its request waits its turn and is stored.
    const other = fetch(`${collector.origin}/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${otherKey}`, ...JSON_HEADERS },
      body: JSON.stringify(spans(newTraceId(), LIMIT)),
    });

    await held.release();
    expect((await waiting).status).toBe(200);
    expect((await other).status).toBe(200);
    // The backlog drained: the same request now passes.
    const again = await post(collector.origin, "/v1/traces", body, PROTOBUF_HEADERS);
    expect(again.status).toBe(200);
    const task = await collector.v2<WireTask>(`/tasks/${first}`);
    expect(task.steps).toHaveLength(5);
  });

  it("a real OTLP exporter is refused with 429, honours Retry-After and succeeds", async () => {
    const proxy = await recordingProxy(collector.origin);
    try {
      const held = await holdWrites();
      const waiting = post(
        collector.origin,
        "/v1/traces",
        JSON.stringify(spans(newTraceId(), LIMIT)),
        JSON_HEADERS,
      );
      await waitForBlockedWriter();

      const memory = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
      const tracer = provider.getTracer("exporter");
      const root = tracer.startSpan("exported 0");
      const inRoot = trace.setSpan(ROOT_CONTEXT, root);
      for (let index = 1; index < 3; index += 1) tracer.startSpan(`exported ${index}`, {}, inRoot).end();
      root.end();
      const finished: ReadableSpan[] = memory.getFinishedSpans();
      const exporter = new OTLPTraceExporter({
        url: `${proxy.url}/v1/traces`,
        headers: { Authorization: `Bearer ${KEY}` },
        timeoutMillis: 30_000,
      });
      const result = new Promise<ExportResult>((done) => exporter.export(finished, done));

      // The backlog is full (10 of 10): the exporter's first attempt is refused.
      await vi.waitFor(() => expect(proxy.statuses).toContain(429), { timeout: 20_000, interval: 50 });
      await held.release();
      expect((await waiting).status).toBe(200);

      expect((await result).code).toBe(ExportResultCode.SUCCESS);
      expect(proxy.statuses[0]).toBe(429);
      expect(proxy.statuses.at(-1)).toBe(200);
      const traceId = finished[0]!.spanContext().traceId;
      const task = await collector.v2<WireTask>(`/tasks/${traceId}`);
      expect(task.steps.map((step) => step.name).sort()).toEqual(["exported 0", "exported 1", "exported 2"]);
      await exporter.shutdown();
    } finally {
      await new Promise((done) => proxy.server.close(done));
    }
  });
});

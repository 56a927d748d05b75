/**
 * Benchmark: OTLP/HTTP ingest. autocannon posts protobuf `/v1/traces` bodies of 100 spans (10 traces of 10 spans,
 * new trace ids per body) at one `phospho-server`, next to `/v2/log` batches of 100 events, on SQLite and on
 * PostgreSQL; then the read of one task with a trace of 500 steps (dashboard task API and v2 read), sequentially.
 */
import path from "node:path";
import autocannon from "autocannon";
import { startCollector, type Collector } from "../../lib/collector.js";
import { dashboardCookie } from "../../lib/http.js";
import { postLoad } from "../../lib/load.js";
import { createTempDatabase, postgresAvailable } from "../../lib/postgres.js";
import { fmt, fmtSummary, quantile, summarize } from "../../lib/stats.js";
import type { Section, Table } from "../../lib/table.js";
import type { BenchContext } from "../context.js";
import { otlpBodies } from "./spans.js";

const CONNECTIONS = 10;
const SPANS_PER_REQUEST = 100;

async function withCollector<T>(
  ctx: BenchContext,
  engine: string,
  fn: (c: Collector) => Promise<T>,
): Promise<T> {
  const tmp =
    engine === "sqlite"
      ? { url: path.join(ctx.workDir, `otlp-${Date.now()}-${Math.random()}.db`), drop: async () => {} }
      : await createTempDatabase("phospho_bench_otlp");
  const collector = await startCollector({ db: tmp.url });
  try {
    return await fn(collector);
  } finally {
    await collector.stop();
    await tmp.drop();
  }
}

async function otlpLoad(c: Collector, bodies: Buffer[], seconds: number) {
  let next = 0;
  const result = await autocannon({
    url: `${c.origin}/v1/traces`,
    method: "POST",
    headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${c.apiKey}` },
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
  });
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  if (result.non2xx + result.errors + result.timeouts > 0) {
    console.error(
      `otlp load: non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
    console.error(c.output().slice(-2_000));
  }
  return {
    perSec: (result["2xx"] * SPANS_PER_REQUEST) / elapsed,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    // autocannon counts a timeout in `errors` as well as in `timeouts`.
    failed: result.non2xx + result.errors,
  };
}

async function timeReads(url: string, headers: Record<string, string>, times: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.text();
    ms.push(performance.now() - t0);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  }
  return ms;
}

export async function otlpIngest(ctx: BenchContext): Promise<Section> {
  const seconds = ctx.quick ? 1 : 5;
  const repeats = ctx.quick ? 1 : 2;
  const engines = ["sqlite"];
  const notes: string[] = [];
  if (await postgresAvailable()) engines.push("postgres");
  else notes.push("PostgreSQL rows: skipped: no PostgreSQL at 127.0.0.1:5432.");
  ctx.progress("otlp: building protobuf bodies with the OpenTelemetry SDK");
  const bodies = await otlpBodies(ctx.quick ? 40 : 400, 10, 10);

  const ingest: Table = {
    title: `One collector, ${CONNECTIONS} connections, ${seconds} s per run, ${SPANS_PER_REQUEST} spans or events per request (median of ${repeats}; min–max)`,
    headers: ["engine", "load", "items/s", "p50 latency, ms", "p99 latency, ms", "non-2xx or errors"],
    rows: [],
  };
  for (const engine of engines) {
    const otlp = [];
    const v2 = [];
    for (let r = 0; r < repeats; r++) {
      ctx.progress(`otlp: ${engine}, /v1/traces protobuf, ${r + 1}/${repeats}`);
      otlp.push(await withCollector(ctx, engine, (c) => otlpLoad(c, bodies, seconds)));
      ctx.progress(`otlp: ${engine}, /v2/log, ${r + 1}/${repeats}`);
      v2.push(
        await withCollector(ctx, engine, (c) =>
          postLoad({
            origin: c.origin,
            projectId: c.projectId,
            apiKey: c.apiKey,
            batch: 100,
            connections: CONNECTIONS,
            seconds,
          }),
        ),
      );
    }
    ingest.rows.push(
      [
        engine,
        "OTLP /v1/traces (protobuf), spans",
        fmtSummary(summarize(otlp.map((x) => x.perSec))),
        fmtSummary(summarize(otlp.map((x) => x.p50ms))),
        fmtSummary(summarize(otlp.map((x) => x.p99ms))),
        String(otlp.reduce((a, x) => a + x.failed, 0)),
      ],
      [
        engine,
        "/v2/log (JSON), events",
        fmtSummary(summarize(v2.map((x) => x.eventsPerSec))),
        fmtSummary(summarize(v2.map((x) => x.p50ms))),
        fmtSummary(summarize(v2.map((x) => x.p99ms))),
        String(v2.reduce((a, x) => a + x.failed, 0)),
      ],
    );
  }

  const reads: Table = {
    title: "One task with a trace of 500 steps, read sequentially (goal: under 50 ms)",
    headers: ["engine", "read", "p50, ms", "p95, ms", "max, ms", "reads"],
    rows: [],
  };
  const times = ctx.quick ? 20 : 200;
  for (const engine of engines) {
    ctx.progress(`otlp: ${engine}, reading a 500-step trace`);
    await withCollector(ctx, engine, async (c) => {
      const [body] = await otlpBodies(1, 1, 500);
      const traceId = await storeTrace(c, body!);
      const cookie = await dashboardCookie(c.origin, c.apiKey);
      const api = await timeReads(
        `${c.origin}/api/projects/${c.projectId}/tasks/${traceId}`,
        { cookie },
        times,
      );
      const v2 = await timeReads(
        `${c.origin}/v2/tasks/${traceId}`,
        { authorization: `Bearer ${c.apiKey}` },
        times,
      );
      for (const [label, ms] of [
        ["dashboard GET /api/projects/:id/tasks/:taskId", api],
        ["GET /v2/tasks/:id", v2],
      ] as const) {
        reads.rows.push([
          engine,
          label,
          fmt(quantile(ms, 0.5)),
          fmt(quantile(ms, 0.95)),
          fmt(Math.max(...ms)),
          String(ms.length),
        ]);
      }
    });
  }
  notes.push(
    "The OTLP bodies are made by the OpenTelemetry SDK and serialized by its protobuf serializer (@opentelemetry/otlp-transformer); half the spans are LLM calls carrying `gen_ai.input.messages`/`gen_ai.output.messages`.",
    "Each OTLP request writes 100 steps and recomputes its 10 tasks from their stored steps inside the ingest transaction; a `/v2/log` event writes one task.",
  );
  return { heading: "OTLP ingest and trace reads", tables: [ingest, reads], notes };
}

async function storeTrace(c: Collector, body: Buffer): Promise<string> {
  const res = await fetch(`${c.origin}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${c.apiKey}` },
    body: new Uint8Array(body),
  });
  if (!res.ok) throw new Error(`storing the 500-step trace: ${res.status} ${await res.text()}`);
  const list = await fetch(`${c.origin}/v2/projects/${c.projectId}/tasks`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${c.apiKey}` },
    body: JSON.stringify({ limit: 1 }),
  });
  const { tasks } = (await list.json()) as { tasks: Array<{ id: string }> };
  return tasks[0]!.id;
}

/** The collector binary with one project and key, and OpenTelemetry SDK providers exporting to it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { TestDatabase } from "../helpers/postgres.js";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { ensureBuilt, startServer, type RunningServer } from "../helpers/server-process.js";

export const PROJECT = "otlp-project";
export const KEY = "phk_otlp_test_key_0123456789abcdef";

export interface Collector {
  origin: string;
  server: RunningServer;
  /** GET under /v2 with the key. */
  v2<T>(path: string): Promise<T>;
  /** GET under the dashboard's /api/projects/{project}, signed in with the key. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startCollector(
  database: TestDatabase = createSqliteDatabase(),
  env: Record<string, string> = {},
): Promise<Collector> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), "phospho-otlp-"));
  const server = await startServer(["--port", "0", "--db", database.url], {
    ...env,
    PHOSPHO_PROJECT_ID: PROJECT,
    PHOSPHO_API_KEY: KEY,
  });
  let cookie: string | undefined;
  return {
    origin: server.origin,
    server,
    async api<T>(path: string): Promise<T> {
      if (cookie === undefined) {
        const signIn = await fetch(`${server.origin}/api/signin`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ apiKey: KEY }),
        });
        if (!signIn.ok) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
        cookie = signIn.headers
          .getSetCookie()
          .map((line) => line.split(";")[0])
          .join("; ");
      }
      const res = await fetch(`${server.origin}/api/projects/${PROJECT}${path}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`GET /api/projects/${PROJECT}${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async v2<T>(path: string): Promise<T> {
      const res = await fetch(`${server.origin}/v2${path}`, { headers: { authorization: `Bearer ${KEY}` } });
      if (!res.ok) throw new Error(`GET /v2${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      server.child.kill("SIGTERM");
      await server.exited;
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST to the collector with the key; returns status, headers and body bytes. */
export async function post(
  origin: string,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(`${origin}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export type Encoding = "protobuf" | "json";

export function tracerProvider(origin: string, encoding: Encoding, resource: Record<string, string> = {}) {
  const options = { url: `${origin}/v1/traces`, headers: { Authorization: `Bearer ${KEY}` } };
  const exporter = encoding === "protobuf" ? new ProtoTraceExporter(options) : new JsonTraceExporter(options);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "otlp-test", ...resource }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
}

export function loggerProvider(origin: string, encoding: Encoding) {
  const options = { url: `${origin}/v1/logs`, headers: { Authorization: `Bearer ${KEY}` } };
  const exporter = encoding === "protobuf" ? new ProtoLogExporter(options) : new JsonLogExporter(options);
  return new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "otlp-test" }),
    processors: [new BatchLogRecordProcessor({ exporter })],
  });
}

export interface WireStep {
  id: string;
  parent_id: string | null;
  name: string;
  kind: string;
  started_at: number;
  ended_at: number | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  input: unknown;
  output: unknown;
  status: string;
  error: string | null;
  attributes: Record<string, unknown>;
}

export interface WireTask {
  id: string;
  session_id: string | null;
  input: string;
  output: string | null;
  additional_input: unknown;
  additional_output: unknown;
  metadata: Record<string, unknown>;
  steps: WireStep[];
}

/**
 * A local HTTP sink standing in for every vendor's cloud: phospho's /v2/log, langfuse's ingestion API and
 * posthog's batch API all answer here, on 127.0.0.1, so no client hides a network cost or reaches the internet.
 * It replies the way each real service does (per-event results), so every client takes its success path.
 * Run it in its own process (`startSinkProcess`) when measuring, so its parsing does not share the measured loop.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export interface SinkCounts {
  requests: number;
  bytes: number;
  /** Events received, by client family (phospho, langfuse, posthog, other). */
  events: Record<string, number>;
  /** Request paths seen, so a report can show nobody called anything unexpected. */
  paths: Record<string, number>;
}

export interface Sink {
  url: string;
  port: number;
  counts(): SinkCounts;
  close(): Promise<void>;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function family(url: string): string {
  if (url.includes("/log/")) return "phospho";
  if (url.includes("/api/public/")) return "langfuse";
  if (url.includes("/batch") || url.includes("/capture") || url.includes("/e/")) return "posthog";
  return "other";
}

export async function startSink(port = 0): Promise<Sink> {
  const counts: SinkCounts = { requests: 0, bytes: 0, events: {}, paths: {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const url = (req.url ?? "/").split("?")[0] ?? "/";
      const fam = family(url);
      counts.requests += 1;
      counts.bytes += raw.length;
      const pathKey = url.replace(/\/log\/[^/]+/, "/log/{project}");
      counts.paths[pathKey] = (counts.paths[pathKey] ?? 0) + 1;
      let body: Record<string, unknown> = {};
      try {
        body = raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        // posthog may gzip; count the request and accept it anyway.
      }
      if (fam === "phospho") {
        const events = Array.isArray(body.batched_log_events) ? (body.batched_log_events as unknown[]) : [];
        counts.events.phospho = (counts.events.phospho ?? 0) + events.length;
        const logged = events.map((e) => {
          const ev = (e ?? {}) as Record<string, unknown>;
          return { ...ev, task_id: typeof ev.task_id === "string" ? ev.task_id : randomUUID() };
        });
        return reply(res, 200, { logged_events: logged });
      }
      if (fam === "langfuse") {
        const batch = Array.isArray(body.batch) ? (body.batch as Array<{ id?: string }>) : [];
        counts.events.langfuse = (counts.events.langfuse ?? 0) + batch.length;
        return reply(res, 207, { successes: batch.map((b) => ({ id: b.id, status: 201 })), errors: [] });
      }
      if (fam === "posthog") {
        const batch = Array.isArray(body.batch) ? body.batch.length : 1;
        counts.events.posthog = (counts.events.posthog ?? 0) + batch;
        return reply(res, 200, { status: 1 });
      }
      counts.events.other = (counts.events.other ?? 0) + 1;
      return reply(res, 200, {});
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    counts: () => structuredClone(counts),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

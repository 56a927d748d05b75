// A small collector that speaks the spec's v2 wire format on a real HTTP server (127.0.0.1, port 0), and can
// be told to fail in scripted ways: a status (with headers) for the next requests, hanging, rejecting chosen
// events with `error_in_log`, refusing batches over a size with 413, or being down and coming back.

import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Step =
  { status: number; headers?: Record<string, string>; body?: unknown } | { hang: true } | { ok: true };

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface TestCollector {
  /** Base URL with the version, as the SDK wants it: `http://127.0.0.1:<port>/v2`. */
  url: string;
  port: number;
  /** Every request, including failed ones. */
  requests: ReceivedRequest[];
  /** Events acknowledged (stored), in arrival order. */
  events: Array<Record<string, unknown>>;
  /** Feedback bodies acknowledged, with their task id and auth header. */
  feedback: Array<{ taskId: string; authorization: string | undefined; body: Record<string, unknown> }>;
  /** Steps consumed one per `/log` request before the default behaviour (OK). */
  plan: Step[];
  /** Returns a reason to reject an event with `error_in_log`, or undefined to accept it. */
  rejectEvent?: (event: Record<string, unknown>) => string | undefined;
  /** Batches with more events than this get a 413. */
  maxEventsPerRequest?: number;
  /** Every `/log` request answers this status (e.g. 401) when set. */
  alwaysStatus?: number;
  /** Stops listening (connection refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  eventIds(): string[];
}

// CORS like the real collector, so browser tests can log from another origin.
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, content-type",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-expose-headers": "retry-after, retry-after-ms",
};

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...CORS, ...headers });
  res.end(JSON.stringify(body));
}

export async function startCollector(): Promise<TestCollector> {
  const sockets = new Set<Socket>();
  const collector: TestCollector = {
    url: "",
    port: 0,
    requests: [],
    events: [],
    feedback: [],
    plan: [],
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: async () => {
      await new Promise<void>((resolve) => server.listen(collector.port, "127.0.0.1", resolve));
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    eventIds: () => collector.events.map((e) => String(e.task_id)),
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string): void => {
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      send(res, 400, { detail: "body is not JSON" });
      return;
    }
    const path = req.url ?? "";
    collector.requests.push({
      method: req.method ?? "",
      path,
      authorization: req.headers.authorization,
      body,
    });
    const flag = /^\/v2\/tasks\/([^/]+)\/flag$/.exec(path);
    if (flag && req.method === "POST") {
      const b = body as Record<string, unknown>;
      if (!req.headers.authorization && typeof b.project_id !== "string") {
        send(res, 401, { detail: "project_id is required without a key" });
        return;
      }
      collector.feedback.push({
        taskId: decodeURIComponent(flag[1] ?? ""),
        authorization: req.headers.authorization,
        body: b,
      });
      send(res, 200, { id: flag[1], flag: b.flag });
      return;
    }
    const update = /^\/v2\/tasks\/([^/]+)$/.exec(path);
    if (update && req.method === "POST") {
      // The task update route (key required): notes without a flag.
      if (!req.headers.authorization) {
        send(res, 401, { detail: "an API key is required" });
        return;
      }
      const b = body as Record<string, unknown>;
      collector.feedback.push({
        taskId: decodeURIComponent(update[1] ?? ""),
        authorization: req.headers.authorization,
        body: b,
      });
      send(res, 200, { id: update[1], notes: b.notes });
      return;
    }
    if (!/^\/v2\/log\/[^/]+$/.test(path) || req.method !== "POST") {
      send(res, 404, { detail: `no route ${req.method} ${path}` });
      return;
    }
    if (collector.alwaysStatus !== undefined) {
      send(res, collector.alwaysStatus, { detail: "scripted failure" });
      return;
    }
    const step = collector.plan.shift();
    if (step && "hang" in step) return; // never answers; the socket is destroyed at close
    if (step && "status" in step) {
      send(res, step.status, step.body ?? { detail: `scripted ${step.status}` }, step.headers);
      return;
    }
    const events = (body as { batched_log_events?: unknown }).batched_log_events;
    if (!Array.isArray(events)) {
      send(res, 422, { detail: "batched_log_events must be an array" });
      return;
    }
    if (collector.maxEventsPerRequest !== undefined && events.length > collector.maxEventsPerRequest) {
      send(res, 413, { detail: `at most ${collector.maxEventsPerRequest} events per request` });
      return;
    }
    const logged = (events as Array<Record<string, unknown>>).map((event) => {
      const reason = collector.rejectEvent?.(event);
      if (reason) return { error_in_log: reason };
      collector.events.push(event);
      return event;
    });
    send(res, 200, { logged_events: logged });
  };

  const server = http.createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => handle(req, res, raw));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  collector.port = (server.address() as AddressInfo).port;
  collector.url = `http://127.0.0.1:${collector.port}/v2`;
  return collector;
}

/** Polls until `check` is true (for background delivery); fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("waitFor: condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

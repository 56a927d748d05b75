/**
 * A small HTTP proxy between an SDK and a collector, for the fault suite. It forwards every request and records,
 * from each `/v2/log` 200 reply, which task ids the collector acknowledged. It can also answer in the
 * collector's place (429 or 503 with Retry-After) and log when every request arrived, to check that the client
 * waited as told. When the collector is unreachable it drops the client's connection, as a dead host would.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Arrival {
  at: number;
  /** Status the proxy answered with (0: connection dropped). */
  status: number;
  /** The Retry-After the proxy sent, as the instant it allows the next try (ms since epoch). */
  retryAllowedAt?: number;
}

/** Decides, per request, whether to answer in the collector's place. */
export type Interceptor = (n: number) => { status: number; retryAfter: string; allowedAt: number } | null;

export interface Proxy {
  url: string;
  port: number;
  acknowledged: Set<string>;
  arrivals: Arrival[];
  statuses: Record<number, number>;
  setInterceptor(fn: Interceptor | null): void;
  close(): Promise<void>;
}

export async function startProxy(upstreamPort: number): Promise<Proxy> {
  const acknowledged = new Set<string>();
  const arrivals: Arrival[] = [];
  const statuses: Record<number, number> = {};
  let interceptor: Interceptor | null = null;
  let count = 0;

  const server = http.createServer((req, res) => {
    const arrival: Arrival = { at: Date.now(), status: 0 };
    arrivals.push(arrival);
    const planned = interceptor?.(count++) ?? null;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (planned) {
        arrival.status = planned.status;
        arrival.retryAllowedAt = planned.allowedAt;
        statuses[planned.status] = (statuses[planned.status] ?? 0) + 1;
        const text = JSON.stringify({
          detail: `injected ${planned.status}: retry after ${planned.retryAfter}`,
        });
        res.writeHead(planned.status, {
          "content-type": "application/json",
          "retry-after": planned.retryAfter,
        });
        res.end(text);
        return;
      }
      const upstream = http.request(
        { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          const body: Buffer[] = [];
          up.on("data", (c: Buffer) => body.push(c));
          up.on("error", () => req.socket.destroy());
          up.on("end", () => {
            const buf = Buffer.concat(body);
            const status = up.statusCode ?? 0;
            arrival.status = status;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 200 && req.url?.includes("/log/")) {
              try {
                const parsed = JSON.parse(buf.toString("utf8")) as {
                  logged_events?: Array<Record<string, unknown>>;
                };
                for (const e of parsed.logged_events ?? []) {
                  if (typeof e.task_id === "string" && !("error_in_log" in e)) acknowledged.add(e.task_id);
                }
              } catch {
                // not a phospho reply; nothing to record
              }
            }
            res.writeHead(status, up.headers);
            res.end(buf);
          });
        },
      );
      upstream.on("error", () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    acknowledged,
    arrivals,
    statuses,
    setInterceptor(fn) {
      interceptor = fn;
      count = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

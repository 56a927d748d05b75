// The part of autocannon's programmatic API the bench uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    /** Send this many requests in all, then stop (instead of `duration`). */
    amount?: number;
    timeout?: number;
    /** Per-request hooks; `setupRequest` may replace the body of each request, `onResponse` sees each reply. */
    requests?: Array<{
      setupRequest?: (request: { body?: string | Buffer }) => { body?: string | Buffer };
      onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string>) => void;
    }>;
    /** Called with each connection's client, an EventEmitter ("error" on a socket error or timeout). */
    setupClient?: (client: EventEmitter) => void;
  }
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  interface Result {
    start: Date;
    finish: Date;
    errors: number;
    timeouts: number;
    non2xx: number;
    /** Replies by HTTP status, 2xx included. */
    statusCodeStats: Record<string, { count: number }>;
    "2xx": number;
    "4xx": number;
    "5xx": number;
    latency: Histogram;
    requests: Histogram & { sent: number };
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}

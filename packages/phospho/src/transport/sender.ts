// The one place that calls `fetch`. A request that takes longer than the timeout is aborted. The outcome is
// data (a response or a network failure), never an exception, so the retry policy can decide on it.

import type { FetchLike } from "../config/options.js";
import { unrefTimer } from "../internal/timers.js";

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Browsers: the request outlives the page (at most 64 kB of such bodies in flight per page). */
  keepalive?: boolean;
}

/** A response (`status` set, `ok` for a 2xx), or a network failure (`status` undefined). */
export type SendOutcome =
  | { ok: boolean; status: number; retryAfter: string | null; retryAfterMs: string | null; body: string }
  | { ok?: undefined; status?: undefined; error: unknown; timedOut: boolean };

export type Sender = (request: SendRequest) => Promise<SendOutcome>;

export function createFetchSender(fetchImpl: FetchLike | undefined, timeoutMs: number): Sender {
  return async (request) => {
    const doFetch = fetchImpl ?? (globalThis.fetch as FetchLike | undefined);
    if (!doFetch) return { error: new Error("no fetch available"), timedOut: false };
    const controller = new AbortController();
    let timedOut = false;
    const timer = unrefTimer(
      setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs),
    );
    try {
      const response = await doFetch(request.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        ...(request.keepalive ? { keepalive: true } : {}),
      });
      const body = await response.text();
      const status = response.status;
      return {
        ok: status >= 200 && status < 300,
        status,
        retryAfter: response.headers.get("retry-after"),
        retryAfterMs: response.headers.get("retry-after-ms"),
        body,
      };
    } catch (error) {
      return { error, timedOut };
    } finally {
      clearTimeout(timer);
    }
  };
}

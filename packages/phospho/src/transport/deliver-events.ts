// Delivers one batch of events and reads the collector's per-event reply. Every event ends in exactly one
// place: counted as sent, counted as dropped (with a reason), or returned as undelivered for the spool.

import {
  PhosphoAuthError,
  PhosphoDeliveryError,
  PhosphoRejectedEventError,
  type PhosphoError,
} from "../errors.js";
import type { StatsCounter } from "../internal/stats.js";
import { describeError, excerpt } from "../internal/redact.js";
import type { EventItem } from "../queue/items.js";
import { requestWithRetry, type RetryingRequestOptions } from "./request.js";
import { isRetryableStatus } from "./retry.js";
import type { SendOutcome } from "./sender.js";

/** Where and how to send (the retry policy included), and where to count and report. */
export interface DeliveryContext extends RetryingRequestOptions {
  baseUrl: string;
  projectId: string;
  apiKey: string;
  stats: StatsCounter;
  report: (error: PhosphoError) => void;
  /** Set after a 401/403 has been reported, cleared by the next success: a bad key is reported once. */
  authState: { reported: boolean };
  /** Sent with `keepalive` (a page being hidden or left). */
  keepalive?: boolean;
}

export function authHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

function readReply(body: string): unknown[] | undefined {
  try {
    const parsed = JSON.parse(body) as { logged_events?: unknown };
    return Array.isArray(parsed.logged_events) ? parsed.logged_events : undefined;
  } catch {
    return undefined;
  }
}

function countReply(ctx: DeliveryContext, items: EventItem[], body: string): void {
  const replies = readReply(body);
  items.forEach((item, index) => {
    // Any reply that is not an object with an `error_in_log` (null included) means accepted.
    const error = (replies?.[index] as { error_in_log?: unknown } | null | undefined)?.error_in_log;
    if (error !== undefined && error !== null) {
      ctx.stats.drop("rejected", 1);
      ctx.report(new PhosphoRejectedEventError(item.event.task_id, String(error)));
    } else {
      ctx.stats.sent++;
      if (item.origin) ctx.stats.redelivered++;
    }
  });
}

/** What went wrong with a request, for a message: the status and an excerpt of the reply, or the error. */
export function failureText(outcome: SendOutcome, apiKey: string | undefined): string {
  if (outcome.status === undefined) {
    return outcome.timedOut
      ? "the request timed out"
      : `network error (${describeError(outcome.error, apiKey)})`;
  }
  return `HTTP ${outcome.status}${outcome.body ? `: ${excerpt(outcome.body, 300, apiKey)}` : ""}`;
}

/**
 * Returns the events that could not be delivered after every retry (network errors, timeouts, 429, 5xx):
 * the caller spools them or drops them. Everything else is counted here, except that events re-read from
 * the spool (`origin` set) are also returned on a 401/403, to stay on disk.
 */
export async function deliverEvents(ctx: DeliveryContext, items: EventItem[]): Promise<EventItem[]> {
  if (items.length === 0) return [];
  const body = JSON.stringify({ batched_log_events: items.map((item) => item.event) });
  const outcome = await requestWithRetry(ctx, {
    url: `${ctx.baseUrl}/log/${encodeURIComponent(ctx.projectId)}`,
    headers: authHeaders(ctx.apiKey),
    body,
    ...(ctx.keepalive ? { keepalive: true } : {}),
  });
  const { status } = outcome;
  if (status !== undefined) {
    if (outcome.ok) {
      ctx.authState.reported = false;
      countReply(ctx, items, outcome.body);
      return [];
    }
    if (status === 413) {
      if (items.length > 1) {
        const half = Math.ceil(items.length / 2);
        const first = await deliverEvents(ctx, items.slice(0, half));
        const second = await deliverEvents(ctx, items.slice(half));
        return first.concat(second);
      }
      ctx.stats.drop("too_large", 1);
      ctx.report(new PhosphoDeliveryError("too_large", 1, "HTTP 413: event too large", status));
      return [];
    }
    if (status === 401 || status === 403) {
      const reason = status === 401 ? "unauthorized" : "forbidden";
      // Events re-read from the spool stay there (returned as undelivered): the key is at fault, not them.
      const fromSpool = items.filter((item) => item.origin);
      ctx.stats.drop(reason, items.length - fromSpool.length);
      if (ctx.authState.reported) return fromSpool;
      ctx.authState.reported = true;
      ctx.report(
        new PhosphoAuthError(
          status,
          `HTTP ${status}: ${status === 401 ? "API key refused; check PHOSPHO_API_KEY or apiKey" : `key may not write to project ${ctx.projectId}; check PHOSPHO_PROJECT_ID or projectId`}; events dropped till fixed`,
        ),
      );
      return fromSpool;
    }
    if (!isRetryableStatus(status)) {
      const reason = `http_${status}`;
      ctx.stats.drop(reason, items.length);
      ctx.report(
        new PhosphoDeliveryError(
          reason,
          items.length,
          `${items.length} event(s) refused: ${failureText(outcome, ctx.apiKey)}`,
          status,
        ),
      );
      return [];
    }
  }
  ctx.report(
    new PhosphoDeliveryError(
      "retries_exhausted",
      items.length,
      `${items.length} event(s) undelivered to ${ctx.baseUrl} after ${ctx.maxRetries} retries: ${failureText(outcome, ctx.apiKey)}`,
      status,
    ),
  );
  return items;
}

/**
 * The `webhook` job: POSTs a detection to its definition's URL. Delivery is at least once: 408, 429, 5xx, a
 * timeout and network errors are retried with the runner's backoff, and after the last attempt the job shows as
 * failed with its error, retryable from the dashboard. The detection itself was committed before the job was
 * queued, so a failing receiver never costs it. The body's `delivery_id` is the same on every attempt, for the
 * receiver to drop a repeat.
 *
 * The request goes through node:http(s) rather than fetch: its `lookup` hook checks the address the socket is
 * about to connect to against the webhook policy (webhook-url.ts), and it follows no redirect.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { JobError, type Job, type JobContext } from "../jobs/index.js";
import { getDefinition } from "./definitions.js";
import { addressRefusal, checkWebhookUrlSyntax, WebhookUrlError, type WebhookPolicy } from "./webhook-url.js";

export interface WebhookPayload {
  taskId: string;
  definitionId: string;
  version: number;
}

/** A DNS lookup that fails when any address the name resolves to is refused by the policy. */
function guardedLookup(policy: WebhookPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, policy);
        if (refusal) return callback(new WebhookUrlError(`${hostname} resolves to ${refusal}`), "", 0);
      }
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} resolves to no address`), "", 0);
      if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = Number(header);
  return header !== undefined && header !== "" && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Sends `body`; resolves to the reply (its body drained), rejects on a network error or the timeout. */
function post(url: URL, body: string, policy: WebhookPolicy, deliveryId: string): Promise<IncomingMessage> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "phospho-server webhook",
        "x-phospho-delivery": deliveryId,
      },
      lookup: guardedLookup(policy),
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
    request.on("error", (error) => {
      const timedOut = error.name === "AbortError" || error.name === "TimeoutError";
      reject(timedOut ? new Error(`no reply within ${policy.timeoutMs} ms`) : error);
    });
    request.on("response", (response) => {
      // Delivered on the status alone: the body is drained unread, and a receiver that keeps sending one is cut off by
      // the timeout (an error there is of no interest to anyone).
      response.on("error", () => {});
      response.resume();
      resolve(response);
    });
    request.end(body);
  });
}

export async function runWebhook(
  job: Job,
  payload: WebhookPayload,
  ctx: JobContext,
  policy: WebhookPolicy,
): Promise<void> {
  const definition = await getDefinition(ctx.db, job.project_id, payload.definitionId);
  if (!definition?.webhook_url) return;
  const detection = await ctx.db
    .selectFrom("detections")
    .select(["task_id", "session_id", "present", "label", "score", "confidence", "created_at"])
    .where("project_id", "=", job.project_id)
    .where("task_id", "=", payload.taskId)
    .where("definition_id", "=", payload.definitionId)
    .where("definition_version", "=", payload.version)
    .executeTakeFirst();
  if (!detection) return;
  let url: URL;
  try {
    url = checkWebhookUrlSyntax(definition.webhook_url, policy);
  } catch (error) {
    throw new JobError(`webhook refused: ${(error as Error).message}`, false);
  }
  const body = JSON.stringify({
    delivery_id: job.unique_key,
    project_id: job.project_id,
    event: {
      id: definition.id,
      name: definition.name,
      version: payload.version,
      detector: definition.detector,
      scope: definition.scope,
    },
    detection: {
      task_id: detection.task_id,
      session_id: detection.session_id,
      present: detection.present === 1,
      label: detection.label,
      score: detection.score === null ? null : Number(detection.score),
      confidence: Number(detection.confidence),
      created_at: Number(detection.created_at),
    },
  });
  let response: IncomingMessage;
  try {
    response = await post(url, body, policy, job.unique_key);
  } catch (error) {
    if (error instanceof WebhookUrlError) throw new JobError(`webhook refused: ${error.message}`, false);
    throw new JobError(`webhook unreachable: ${(error as Error).message}`, true);
  }
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return;
  if (status >= 300 && status < 400) {
    throw new JobError(`webhook answered ${status}: redirects are not followed`, false);
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  throw new JobError(`webhook answered ${status}`, retryable, retryAfterMs(response.headers["retry-after"]));
}

// Sends one feedback to `POST /tasks/{task_id}/flag`: with the key when there is one, otherwise the spec's
// unauthenticated form (with `project_id` in the body), which is what a browser widget can use.

import { PhosphoDeliveryError, type PhosphoError } from "../errors.js";
import { describeError } from "../internal/redact.js";
import { authHeaders } from "./deliver-events.js";
import { requestWithRetry } from "./request.js";
import type { RetryPolicy } from "./retry.js";
import type { Sender } from "./sender.js";

export interface FeedbackDelivery {
  baseUrl: string;
  apiKey: string | undefined;
  send: Sender;
  policy: RetryPolicy;
  onRetry?: () => void;
  report: (error: PhosphoError) => void;
}

export async function deliverFeedback(
  ctx: FeedbackDelivery,
  taskId: string,
  body: Record<string, unknown>,
): Promise<boolean> {
  const outcome = await requestWithRetry(
    { send: ctx.send, policy: ctx.policy, ...(ctx.onRetry ? { onRetry: ctx.onRetry } : {}) },
    {
      url: `${ctx.baseUrl}/tasks/${encodeURIComponent(taskId)}/flag`,
      method: "POST",
      headers: authHeaders(ctx.apiKey),
      body: JSON.stringify(body),
    },
  );
  if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) return true;
  const detail =
    outcome.kind === "response"
      ? `HTTP ${outcome.status}: ${outcome.body.slice(0, 300)}`
      : outcome.timedOut
        ? "the request timed out"
        : describeError(outcome.error, ctx.apiKey);
  ctx.report(
    new PhosphoDeliveryError(
      "feedback_failed",
      0,
      `could not send feedback for task ${taskId}: ${detail}`,
      outcome.kind === "response" ? outcome.status : undefined,
    ),
  );
  return false;
}

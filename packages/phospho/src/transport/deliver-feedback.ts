// Sends one feedback to `POST /tasks/{task_id}/flag`: with the key when there is one, otherwise the spec's
// unauthenticated form (with `project_id` in the body), which is what a browser widget can use. Notes without a
// flag go to the task update route, `POST /tasks/{task_id}` (key required), since the flag route needs a flag.

import { PhosphoDeliveryError, type PhosphoError } from "../errors.js";
import { authHeaders, failureText } from "./deliver-events.js";
import { requestWithRetry, type RetryingRequestOptions } from "./request.js";

/** Where and how to send (the retry policy included), and where to report. */
export interface FeedbackDelivery extends RetryingRequestOptions {
  baseUrl: string;
  apiKey: string | undefined;
  report: (error: PhosphoError) => void;
}

/** What the collector answered: the updated task (its JSON reply), or `undefined` when it was not delivered. */
export type FeedbackResult = { ok: true; task: unknown } | { ok: false };

function parseReply(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body === "" ? null : body;
  }
}

export async function deliverFeedback(
  ctx: FeedbackDelivery,
  taskId: string,
  body: Record<string, unknown>,
): Promise<FeedbackResult> {
  const notesOnly = body.flag === undefined;
  const task = `${ctx.baseUrl}/tasks/${encodeURIComponent(taskId)}`;
  const outcome = await requestWithRetry(ctx, {
    url: notesOnly ? task : `${task}/flag`,
    headers: authHeaders(ctx.apiKey),
    body: JSON.stringify(notesOnly ? { notes: body.notes, flag_source: body.source } : body),
  });
  if (outcome.ok) return { ok: true, task: parseReply(outcome.body) };
  ctx.report(
    new PhosphoDeliveryError(
      "feedback_failed",
      0,
      `could not send feedback for task ${taskId}: ${failureText(outcome, ctx.apiKey)}`,
      outcome.status,
    ),
  );
  return { ok: false };
}

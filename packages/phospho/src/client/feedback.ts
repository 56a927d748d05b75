// Feedback: turning a raw value (👍, "success", …) into a flag, and the request body of the spec's
// `POST /tasks/{task_id}/flag`; plus `sendUserFeedback`, usable without an initialised client (a browser).

import { DEFAULT_BASE_URL } from "../config/options.js";
import { PhosphoConfigError, type PhosphoError } from "../errors.js";
import { deliverFeedback } from "../transport/deliver-feedback.js";
import { createFetchSender } from "../transport/sender.js";
import type { Flag, SendUserFeedbackParams, UserFeedbackParams } from "../types.js";

const SUCCESS_VALUES = new Set<unknown>(["👍", "🙂", "😀", "success", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", true]);

/** 👍, 🙂, 😀 and "success" (and `true`) mean success; anything else means failure. */
export function defaultRawFlagToFlag(rawFlag: unknown): Flag {
  const value = typeof rawFlag === "string" ? rawFlag.trim().toLowerCase() : rawFlag;
  return SUCCESS_VALUES.has(value) ? "success" : "failure";
}

export function feedbackBody(params: UserFeedbackParams, projectId: string): Record<string, unknown> {
  let flag: Flag | undefined = params.flag;
  if (flag !== "success" && flag !== "failure") {
    const map = params.rawFlagToFlag ?? defaultRawFlagToFlag;
    try {
      flag = map(params.rawFlag);
    } catch {
      flag = defaultRawFlagToFlag(params.rawFlag);
    }
    if (flag !== "success" && flag !== "failure") flag = defaultRawFlagToFlag(params.rawFlag);
  }
  const body: Record<string, unknown> = { flag, project_id: projectId, source: params.source ?? "user" };
  if (typeof params.notes === "string") body.notes = params.notes;
  return body;
}

export function checkTaskId(taskId: unknown): asserts taskId is string {
  if (typeof taskId !== "string" || taskId === "") {
    throw new PhosphoConfigError("taskId", "taskId is required: pass the task_id returned by phospho.log()");
  }
}

/**
 * Sends feedback at once, without a client. With `apiKey` it authenticates; without (a browser widget), it
 * uses the unauthenticated route, which the collector accepts when `projectId` matches the task's project.
 * Rejects only for a missing `projectId` or `taskId`; a delivery failure resolves to `false`.
 */
export async function sendUserFeedback(params: SendUserFeedbackParams): Promise<boolean> {
  if (typeof params?.projectId !== "string" || params.projectId === "") {
    throw new PhosphoConfigError(
      "projectId",
      "projectId is required: pass the project the task was logged to",
    );
  }
  checkTaskId(params.taskId);
  const baseUrl = (params.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  return deliverFeedback(
    {
      baseUrl,
      apiKey: params.apiKey,
      send: createFetchSender(params.fetch, 10_000),
      policy: { maxRetries: 3, initialDelayMs: 300, maxDelayMs: 5000 },
      report: (error: PhosphoError) => console.warn(`[phospho] ${error.message}`),
    },
    params.taskId,
    feedbackBody(params, params.projectId),
  );
}

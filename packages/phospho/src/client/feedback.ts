// Feedback: turning a raw value (👍, "success", …) into a flag, and the request body of the spec's
// `POST /tasks/{task_id}/flag`; plus `sendUserFeedback`, usable without an initialised client (a browser).

import { DEFAULT_BASE_URL } from "../config/options.js";
import { applyMask } from "../extract/json-safe.js";
import { PhosphoConfigError, type PhosphoError } from "../errors.js";
import { redactText } from "../internal/redact.js";
import { deliverFeedback } from "../transport/deliver-feedback.js";
import { createFetchSender } from "../transport/sender.js";
import type { Flag, SendUserFeedbackParams, UserFeedbackParams } from "../types.js";

const SUCCESS_VALUES = new Set<unknown>(["👍", "🙂", "😀", "success", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", true]);

/** 👍, 🙂, 😀 and "success" (and `true`) mean success; anything else means failure. */
export function defaultRawFlagToFlag(rawFlag: unknown): Flag {
  const value = typeof rawFlag === "string" ? rawFlag.trim().toLowerCase() : rawFlag;
  return SUCCESS_VALUES.has(value) ? "success" : "failure";
}

/**
 * The body of one feedback request, or `undefined` when there is nothing to send. Without `flag` and
 * `rawFlag` no flag is sent (notes alone are fine), as phospho 1.3 did not invent one.
 */
export function feedbackBody(
  params: UserFeedbackParams,
  projectId: string,
  mask?: (text: string) => string,
): Record<string, unknown> | undefined {
  let flag: Flag | undefined = params.flag;
  if (flag !== "success" && flag !== "failure") {
    flag = undefined;
    if ((params.rawFlag ?? "") !== "") {
      const map = params.rawFlagToFlag ?? defaultRawFlagToFlag;
      try {
        flag = map(params.rawFlag);
      } catch {
        // A failing mapper: the default mapping below.
      }
      if (flag !== "success" && flag !== "failure") flag = defaultRawFlagToFlag(params.rawFlag);
    }
  }
  // The texts the user gave go through `mask`, as every logged text does (not the default source).
  const notes = typeof params.notes === "string" ? applyMask(params.notes, mask) : undefined;
  if (flag === undefined && notes === undefined) return undefined;
  const source = params.source;
  const body: Record<string, unknown> = {
    project_id: projectId,
    source: typeof source === "string" ? applyMask(source, mask) : (source ?? "user"),
  };
  if (flag !== undefined) body.flag = flag;
  if (notes !== undefined) body.notes = notes;
  return body;
}

export function nothingToSend(caller: string): string {
  return `${caller}: give flag, rawFlag or notes`;
}

/**
 * Sends feedback at once, without a client. With `apiKey` it authenticates; without (a browser widget), it
 * uses the unauthenticated route, which the collector accepts when `projectId` matches the task's project.
 * Resolves to the collector's reply (the updated task) or `undefined` when nothing was sent: a missing
 * `projectId`, `taskId` or feedback is warned about, and a delivery failure reported, never thrown.
 */
export async function sendUserFeedback(params: SendUserFeedbackParams): Promise<unknown> {
  const warn = (error: PhosphoError): void => {
    console.warn(`[phospho] ${redactText(error.message, params?.apiKey)}`);
  };
  if (typeof params?.projectId !== "string" || params.projectId === "") {
    warn(new PhosphoConfigError("projectId", "sendUserFeedback: projectId is required"));
    return undefined;
  }
  if (typeof params.taskId !== "string" || params.taskId === "") {
    warn(new PhosphoConfigError("taskId", "sendUserFeedback: taskId is required"));
    return undefined;
  }
  const body = feedbackBody(params, params.projectId);
  if (!body) {
    warn(new PhosphoConfigError("flag", nothingToSend("sendUserFeedback")));
    return undefined;
  }
  if (body.flag === undefined && !params.apiKey) {
    // The key-less route takes a flag; notes alone update the task, which needs the key.
    warn(new PhosphoConfigError("flag", "sendUserFeedback: notes without a flag need apiKey"));
    return undefined;
  }
  const baseUrl = (params.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const result = await deliverFeedback(
    {
      baseUrl,
      apiKey: params.apiKey,
      send: createFetchSender(params.fetch, 10_000),
      maxRetries: 3,
      retryInitialDelayMs: 300,
      retryMaxDelayMs: 5000,
      report: warn,
    },
    params.taskId,
    body,
  );
  return result.ok ? result.task : undefined;
}

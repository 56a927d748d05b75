// Sends one request, retrying as the policy says. Retries happen in order: the caller awaits this before
// sending anything else, so a later batch never overtakes an earlier one.

import { sleep } from "../internal/timers.js";
import { decideRetry, type RetryPolicy } from "./retry.js";
import type { SendOutcome, SendRequest, Sender } from "./sender.js";

export interface RetryingRequestOptions extends RetryPolicy {
  send: Sender;
  /** Called before each retry (for the `retried` counter). */
  onRetry?: (() => void) | undefined;
}

export async function requestWithRetry(
  options: RetryingRequestOptions,
  request: SendRequest,
): Promise<SendOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await options.send(request);
    if (outcome.ok) return outcome;
    const decision = decideRetry(outcome, attempt, options);
    if (!decision.retry) return outcome;
    options.onRetry?.();
    await sleep(decision.delayMs);
  }
}

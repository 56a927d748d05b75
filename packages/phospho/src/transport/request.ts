// Sends one request, retrying as the policy says. Retries happen in order: the caller awaits this before
// sending anything else, so a later batch never overtakes an earlier one.

import { sleep } from "../internal/timers.js";
import { decideRetry, type RetryPolicy } from "./retry.js";
import type { SendOutcome, SendRequest, Sender } from "./sender.js";

export interface RetryingRequestOptions {
  send: Sender;
  policy: RetryPolicy;
  /** Called before each retry (for the `retried` counter). */
  onRetry?: () => void;
  wait?: (ms: number) => Promise<void>;
}

export async function requestWithRetry(
  options: RetryingRequestOptions,
  request: SendRequest,
): Promise<SendOutcome> {
  const wait = options.wait ?? sleep;
  for (let attempt = 1; ; attempt++) {
    const outcome = await options.send(request);
    if (outcome.ok) return outcome;
    const decision = decideRetry(outcome, attempt, options.policy);
    if (!decision.retry) return outcome;
    options.onRetry?.();
    await wait(decision.delayMs);
  }
}

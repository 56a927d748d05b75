import type { Limits } from "../../config.js";
import { RateLimiter } from "../../security/index.js";
import type { Store } from "../../store/types.js";

export interface RouteContext {
  store: Store;
  limits: Limits;
  /** Shared by the /v2 and /v0 registrations, so that the two prefixes count together. */
  keylessFeedback: { perAddress: RateLimiter; perProject: RateLimiter };
}

const MINUTE_MS = 60_000;

export function keylessFeedbackLimiters(limits: Limits): RouteContext["keylessFeedback"] {
  return {
    perAddress: new RateLimiter(limits.keylessFeedbackPerAddressPerMinute, MINUTE_MS),
    perProject: new RateLimiter(limits.keylessFeedbackPerProjectPerMinute, MINUTE_MS),
  };
}

/** Route options of a route that reads no body without a valid key (see src/security/key-gate.ts). */
export const KEYED = { config: { key: "required" } } as const;
/** Route options of a route that key-less browser widgets may call too: a present key must still be valid. */
export const KEY_OPTIONAL = { config: { key: "optional" } } as const;

// The retry policy is a pure function: instants and randomness are passed in, nothing sleeps.

import { describe, expect, it } from "vitest";
import { decideRetry, parseRetryAfter } from "../src/transport/retry.js";

const policy = { maxRetries: 5, retryInitialDelayMs: 100, retryMaxDelayMs: 1000 };
const half = () => 0.5;

describe("decideRetry", () => {
  it("retries network errors, timeouts, 408, 409, 429 and 5xx", () => {
    for (const status of [undefined, 408, 409, 429, 500, 502, 503, 504]) {
      expect(decideRetry({ status }, 1, policy, half).retry).toBe(true);
    }
  });

  it("never retries other 4xx (they would fail again)", () => {
    for (const status of [400, 401, 403, 404, 413, 422]) {
      expect(decideRetry({ status }, 1, policy, half)).toEqual({ retry: false });
    }
  });

  it("backs off exponentially with jitter, capped", () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => {
      const d = decideRetry({ status: 503 }, attempt, policy, half);
      return d.retry ? d.delayMs : -1;
    });
    expect(delays).toEqual([75, 150, 300, 600, 750]);
    const low = decideRetry({ status: 503 }, 3, policy, () => 0);
    const high = decideRetry({ status: 503 }, 3, policy, () => 0.999);
    expect(low).toEqual({ retry: true, delayMs: 200 });
    expect(high.retry && high.delayMs).toBeGreaterThan(390);
  });

  it("gives up after maxRetries", () => {
    expect(decideRetry({ status: 500 }, 6, policy, half)).toEqual({ retry: false });
  });

  it("honours Retry-After in seconds, as an HTTP date, and retry-after-ms, capped by retryMaxDelayMs", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(decideRetry({ status: 429, retryAfter: "0.5" }, 1, policy, half, now)).toEqual({
      retry: true,
      delayMs: 500,
    });
    expect(
      decideRetry({ status: 503, retryAfter: "Wed, 01 Jan 2025 00:00:00 GMT" }, 1, policy, half, now - 800),
    ).toEqual({ retry: true, delayMs: 800 });
    expect(decideRetry({ status: 429, retryAfterMs: "250", retryAfter: "9" }, 1, policy, half, now)).toEqual({
      retry: true,
      delayMs: 250,
    });
    expect(decideRetry({ status: 429, retryAfter: "120" }, 1, policy, half, now)).toEqual({
      retry: true,
      delayMs: 1000,
    });
  });

  it("ignores an unreadable Retry-After", () => {
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(decideRetry({ status: 429, retryAfter: "soon" }, 1, policy, half)).toEqual({
      retry: true,
      delayMs: 75,
    });
  });
});

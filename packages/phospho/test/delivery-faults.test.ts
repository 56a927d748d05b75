// Fault tests from the issue: in each, every accepted event ends up delivered or counted as dropped
// (stats: sent + dropped === logged, and the collector's received ids match what was sent).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Phospho, PhosphoStats } from "../src/node.js";
import { startCollector, type TestCollector } from "./helpers/collector.js";
import { testClient } from "./helpers/client.js";

let collector: TestCollector;
const clients: Phospho[] = [];

beforeEach(async () => {
  collector = await startCollector();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown(1000)));
  await collector.close();
});

function make(options: Parameters<typeof testClient>[1] = {}) {
  const made = testClient(collector, options);
  clients.push(made.client);
  return made;
}

async function logFive(client: Phospho): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++)
    ids.push((await client.log({ input: `question ${i}`, output: `answer ${i}` })).task_id);
  return ids;
}

function expectAccounted(stats: PhosphoStats): void {
  expect(stats.sent + stats.droppedTotal + stats.spooled).toBe(stats.logged);
  expect(stats.queued).toBe(0);
}

describe("delivery under faults", () => {
  it("retries a batch the collector answers 500 three times, then delivers it once", async () => {
    collector.plan.push({ status: 500 }, { status: 500 }, { status: 500 });
    const { client } = make({ maxRetries: 5 });
    const ids = await logFive(client);
    expect(await client.flush(10_000)).toBe(true);
    const stats = client.stats();
    expect(stats.sent).toBe(5);
    expect(stats.retried).toBe(3);
    expect(collector.eventIds().sort()).toEqual([...ids].sort());
    expectAccounted(stats);
  });

  it("waits as long as Retry-After asks on a 429", async () => {
    collector.plan.push({ status: 429, headers: { "retry-after": "1" } });
    const { client } = make({ retryInitialDelayMs: 1 });
    const ids = await logFive(client);
    expect(await client.flush(10_000)).toBe(true);
    const logRequests = collector.requests.filter((r) => r.path.startsWith("/v2/log/"));
    expect(logRequests).toHaveLength(2);
    expect(collector.eventIds().sort()).toEqual([...ids].sort());
    expect(client.stats().retried).toBe(1);
    expectAccounted(client.stats());
  });

  it("aborts a request that hangs past requestTimeoutMs and retries it", async () => {
    collector.plan.push({ hang: true });
    const { client } = make({ requestTimeoutMs: 200 });
    const ids = await logFive(client);
    expect(await client.flush(10_000)).toBe(true);
    expect(collector.eventIds().sort()).toEqual([...ids].sort());
    expect(client.stats().retried).toBe(1);
    expectAccounted(client.stats());
  });

  it("drops, reports and never retries the one event of five the collector rejects", async () => {
    collector.rejectEvent = (event) =>
      event.input === "question 2" ? "input: must not be question 2" : undefined;
    const { client, errors } = make();
    const ids = await logFive(client);
    expect(await client.flush(10_000)).toBe(true);
    const stats = client.stats();
    expect(stats.sent).toBe(4);
    expect(stats.dropped).toEqual({ rejected: 1 });
    expect(stats.retried).toBe(0);
    expect(collector.eventIds().sort()).toEqual(ids.filter((_, i) => i !== 2).sort());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: "PhosphoRejectedEventError", code: "rejected", taskId: ids[2] });
    expect(errors[0]?.message).toContain("must not be question 2");
    expectAccounted(stats);
  });

  it("keeps retrying while the collector is down and delivers when it comes back, in order", async () => {
    const { client } = make({ maxRetries: 20, retryInitialDelayMs: 50, retryMaxDelayMs: 200 });
    await collector.stop();
    const first = await logFive(client);
    const flushing = client.flush(20_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = await logFive(client);
    await collector.start();
    expect(await flushing).toBe(true);
    expect(await client.flush(20_000)).toBe(true);
    expect(collector.eventIds()).toEqual([...first, ...second]);
    expect(client.stats().retried).toBeGreaterThan(0);
    expectAccounted(client.stats());
  });

  it("counts events as dropped (retries_exhausted) when the collector stays down", async () => {
    const { client, errors } = make({ maxRetries: 2 });
    await collector.stop();
    await logFive(client);
    expect(await client.flush(10_000)).toBe(false);
    expect(client.stats().dropped).toEqual({ retries_exhausted: 5 });
    expect(errors.some((e) => e.name === "PhosphoDeliveryError" && e.code === "delivery")).toBe(true);
    expectAccounted(client.stats());
    await collector.start();
  });

  it("splits a batch the collector refuses with 413 until it fits", async () => {
    collector.maxEventsPerRequest = 2;
    const { client } = make({ batchSize: 10 });
    const ids = await logFive(client);
    expect(await client.flush(10_000)).toBe(true);
    expect(collector.eventIds()).toEqual(ids);
    expect(collector.requests.filter((r) => r.path.startsWith("/v2/log/")).length).toBeGreaterThan(2);
    expectAccounted(client.stats());
  });

  it("reports a 401 once, clearly, without retrying it in a loop", async () => {
    collector.alwaysStatus = 401;
    const { client, errors } = make({ batchSize: 5 });
    await logFive(client);
    expect(await client.flush(10_000)).toBe(false);
    expect(collector.requests).toHaveLength(1);
    await logFive(client);
    expect(await client.flush(10_000)).toBe(false);
    expect(collector.requests).toHaveLength(2);
    expect(client.stats()).toMatchObject({ retried: 0, dropped: { unauthorized: 10 } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: "PhosphoAuthError", code: "auth", status: 401 });
    expect(errors[0]?.message).toContain("PHOSPHO_API_KEY");
    expectAccounted(client.stats());
  });

  it("drops the oldest events, counted, when the queue overflows", async () => {
    await collector.stop();
    const { client, errors } = make({ maxQueueEvents: 3, batchSize: 100, flushIntervalMs: 60_000 });
    const ids = await logFive(client);
    expect(client.stats()).toMatchObject({ queued: 3, dropped: { queue_full: 2 } });
    expect(errors[0]).toMatchObject({ name: "PhosphoDeliveryError", code: "dropped", reason: "queue_full" });
    await collector.start();
    expect(await client.flush(10_000)).toBe(true);
    expect(collector.eventIds()).toEqual(ids.slice(2));
    expectAccounted(client.stats());
  });

  it("drops the oldest events when the queue exceeds its byte bound", async () => {
    await collector.stop();
    const { client } = make({ maxQueueBytes: 5000, batchSize: 100, flushIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) await client.log({ input: "x".repeat(1000), output: `${i}` });
    const stats = client.stats();
    expect(stats.queued).toBeLessThan(10);
    expect(stats.dropped.queue_full).toBe(10 - stats.queued);
    await collector.start();
    await client.flush(10_000);
    expectAccounted(client.stats());
  });

  it("sends on an interval even under steady traffic (not a debounce)", async () => {
    const { client } = make({ flushIntervalMs: 100, batchSize: 1000 });
    const started = Date.now();
    // Logs every 20 ms for a while: a debounce of 100 ms would never fire during the loop.
    while (Date.now() - started < 600) {
      await client.log({ input: "tick", output: "tock" });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(collector.events.length).toBeGreaterThan(0);
    await client.flush(5000);
    expectAccounted(client.stats());
  });

  it("sends a full batch at once without waiting for the interval", async () => {
    const { client } = make({ flushIntervalMs: 60_000, batchSize: 5 });
    const ids = await logFive(client);
    await (await import("./helpers/collector.js")).waitFor(() => collector.events.length === 5);
    expect(collector.eventIds()).toEqual(ids);
  });
});

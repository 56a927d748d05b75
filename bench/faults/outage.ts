/**
 * The collector is down for 30 s (quick: 3 s) while the app keeps logging, then comes back: everything is
 * delivered, and the SDK's queue never exceeds its bound (default 10,000 events) nor its heap a fixed budget.
 */
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startCollector } from "../lib/collector.js";
import { freePort } from "../lib/process.js";
import { storedTasks } from "../lib/store.js";
import { faultClient, stats, steadyLoad } from "./load.js";
import { accountFor, type FaultContext, type FaultResult } from "./types.js";

const QUEUE_BOUND = 10_000;
const HEAP_BUDGET_MB = 64;

export async function outage(ctx: FaultContext): Promise<FaultResult> {
  const downMs = ctx.quick ? 3_000 : 30_000;
  const db = path.join(ctx.workDir, "outage.db");
  const port = await freePort();
  let collector = await startCollector({ db, port });
  // Straight to the collector: while it is down the SDK meets a refused connection, as in real life.
  const { client } = await faultClient(`${collector.baseUrl}`, collector.projectId, collector.apiKey, {
    maxQueueEvents: QUEUE_BOUND,
  });
  const load = steadyLoad(client, "outage", 150);
  let maxQueued = 0;
  const heap0 = process.memoryUsage().heapUsed;
  let maxHeapGrowth = 0;
  const sampler = setInterval(() => {
    maxQueued = Math.max(maxQueued, stats(client).queued);
    maxHeapGrowth = Math.max(maxHeapGrowth, (process.memoryUsage().heapUsed - heap0) / 2 ** 20);
  }, 100);
  try {
    await sleep(1_000);
    ctx.progress(`faults: collector down for ${downMs / 1000} s`);
    await collector.stop();
    await sleep(downMs);
    collector = await startCollector({ db, port });
    await sleep(1_000);
    await load.stop();
    const delivered = await client.flush(60_000);
    clearInterval(sampler);
    const s = stats(client);
    await client.shutdown(1_000);
    const stored = await storedTasks(db, collector.projectId);
    const result = accountFor(
      `collector down ${downMs / 1000} s, then back`,
      load.ids,
      new Set(),
      stored.ids,
      s.dropped,
    );
    result.acknowledged = s.sent;
    result.checks.push(
      {
        what: "everything delivered",
        ok: delivered && result.stored === result.logged,
        detail: `flush → ${delivered}, ${s.retried} requests retried`,
      },
      {
        what: "queue within its bound",
        ok: maxQueued <= QUEUE_BOUND,
        detail: `at most ${maxQueued} queued (bound ${QUEUE_BOUND})`,
      },
      {
        what: "heap within budget",
        ok: maxHeapGrowth < HEAP_BUDGET_MB,
        detail: `heap grew at most ${maxHeapGrowth.toFixed(1)} MB (budget ${HEAP_BUDGET_MB} MB)`,
      },
    );
    return result;
  } finally {
    clearInterval(sampler);
    await load.stop();
    await collector.stop();
  }
}

/**
 * SIGKILL the collector at random moments during a steady load, then restart it on the same port: every event
 * acknowledged with a 200 is stored, the SDK re-delivers the rest, and nothing is stored twice (task rows are
 * unique by id; each session's recorded length must equal its task count, so a re-sent batch counted nothing
 * twice).
 */
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startCollector, type Collector } from "../lib/collector.js";
import { freePort } from "../lib/process.js";
import { startProxy } from "../lib/proxy.js";
import { storedTasks } from "../lib/store.js";
import { faultClient, stats, steadyLoad } from "./load.js";
import { accountFor, type FaultContext, type FaultResult } from "./types.js";

export async function killDuringLoad(ctx: FaultContext): Promise<FaultResult> {
  const kills = ctx.quick ? 3 : 20;
  const db = path.join(ctx.workDir, "kill.db");
  const port = await freePort();
  let collector: Collector = await startCollector({ db, port });
  const proxy = await startProxy(port);
  const { client } = await faultClient(`${proxy.url}/v2`, collector.projectId, collector.apiKey, {
    maxRetries: 1_000,
    retryInitialDelayMs: 100,
    retryMaxDelayMs: 1_000,
    requestTimeoutMs: 5_000,
  });
  const load = steadyLoad(client, "kill", ctx.quick ? 400 : 300);
  try {
    for (let k = 0; k < kills; k++) {
      await sleep(150 + Math.random() * (ctx.quick ? 600 : 1_500));
      ctx.progress(
        `faults: SIGKILL ${k + 1}/${kills} (${load.ids.length} logged, ${proxy.acknowledged.size} acknowledged)`,
      );
      await collector.kill("SIGKILL");
      await sleep(Math.random() * 300);
      collector = await startCollector({ db, port });
    }
    await sleep(300);
    await load.stop();
    const delivered = await client.flush(60_000);
    const s = stats(client);
    await client.shutdown(1_000);
    await collector.stop();
    const stored = await storedTasks(db, collector.projectId);
    const result = accountFor(
      `SIGKILL the collector ${kills} times during load`,
      load.ids,
      proxy.acknowledged,
      stored.ids,
      s.dropped,
    );
    result.checks.push(
      {
        what: "flush() delivered everything",
        ok: delivered,
        detail: `flush → ${delivered}, ${s.retried} requests retried`,
      },
      {
        what: "no session counted twice",
        ok: stored.sessionMismatches === 0,
        detail: `${stored.sessionMismatches} sessions whose length differs from their task count`,
      },
    );
    return result;
  } finally {
    await load.stop();
    await collector.kill("SIGKILL");
    await proxy.close();
  }
}

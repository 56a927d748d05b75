/**
 * A proxy answers 429 and 503 with Retry-After (in seconds, and as an HTTP date) before letting requests through:
 * the SDK must wait at least as long as told before each retry, and deliver everything afterwards.
 */
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startCollector } from "../lib/collector.js";
import { startProxy, type Interceptor } from "../lib/proxy.js";
import { storedTasks } from "../lib/store.js";
import { faultClient, stats } from "./load.js";
import { ANSWER, QUESTION } from "../lib/payloads.js";
import { accountFor, type FaultContext, type FaultResult } from "./types.js";

/** HTTP dates have one-second resolution: allow for it, and for timer slack. */
const SLACK_MS = 30;

export async function retryAfter(ctx: FaultContext): Promise<FaultResult> {
  const db = path.join(ctx.workDir, "retry-after.db");
  const collector = await startCollector({ db });
  const proxy = await startProxy(collector.port);
  const plan: Array<{ status: number; form: "seconds" | "date"; seconds: number }> = [
    { status: 429, form: "seconds", seconds: 1 },
    { status: 503, form: "seconds", seconds: 2 },
    { status: 429, form: "date", seconds: 2 },
    { status: 503, form: "seconds", seconds: 1 },
  ];
  const interceptor: Interceptor = (n) => {
    const step = plan[n];
    if (!step) return null;
    if (step.form === "seconds") {
      return {
        status: step.status,
        retryAfter: String(step.seconds),
        allowedAt: Date.now() + step.seconds * 1000,
      };
    }
    // An HTTP date is whole seconds: the client may retry from that second on.
    const allowed = Math.ceil((Date.now() + step.seconds * 1000) / 1000) * 1000;
    return {
      status: step.status,
      retryAfter: new Date(allowed).toUTCString(),
      allowedAt: allowed - 1000 + SLACK_MS,
    };
  };
  proxy.setInterceptor(interceptor);
  const { client } = await faultClient(`${proxy.url}/v2`, collector.projectId, collector.apiKey, {
    retryInitialDelayMs: 50,
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const taskId = `retry_${i}`;
      ids.push(taskId);
      client.log({ taskId, input: `${QUESTION} #${i}`, output: ANSWER });
      if (i % 50 === 49) await sleep(100);
    }
    ctx.progress("faults: 429/503 with Retry-After");
    const delivered = await client.flush(60_000);
    const s = stats(client);
    await client.shutdown(1_000);
    const stored = await storedTasks(db, collector.projectId);
    const result = accountFor("429 and 503 with Retry-After", ids, proxy.acknowledged, stored.ids, s.dropped);
    const early: string[] = [];
    const arrivals = proxy.arrivals;
    for (let i = 0; i < arrivals.length - 1; i++) {
      const allowed = arrivals[i]!.retryAllowedAt;
      if (allowed !== undefined && arrivals[i + 1]!.at < allowed - SLACK_MS) {
        early.push(`request ${i + 2} came ${allowed - arrivals[i + 1]!.at} ms early`);
      }
    }
    const throttled = arrivals.filter((a) => a.retryAllowedAt !== undefined).length;
    result.checks.push(
      {
        what: "Retry-After honoured",
        ok: early.length === 0 && throttled === plan.length,
        detail: early.length
          ? early.join("; ")
          : `${throttled} throttled replies, every retry waited as told`,
      },
      {
        what: "everything delivered",
        ok: delivered && result.stored === ids.length,
        detail: `flush → ${delivered}`,
      },
    );
    return result;
  } finally {
    await proxy.close();
    await collector.stop();
  }
}

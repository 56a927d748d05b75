/**
 * PostgreSQL restarts during ingest (`pg_ctlcluster --skip-systemctl-redirect 15 main restart`): the collector
 * answers 503 while the database is away (never a 500), the SDK retries, and nothing is lost. Full mode only:
 * it restarts the machine's shared PostgreSQL.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { startCollector } from "../lib/collector.js";
import { createTempDatabase, postgresAvailable } from "../lib/postgres.js";
import { startProxy } from "../lib/proxy.js";
import { storedTasks } from "../lib/store.js";
import { faultClient, stats, steadyLoad } from "./load.js";
import { accountFor, withoutCounts, type FaultContext, type FaultResult } from "./types.js";

const run = promisify(execFile);

/** Other test runs on this shared machine may be using PostgreSQL: give them up to `maxMs` to finish first. */
async function waitForQuietPostgres(maxMs: number, progress: (m: string) => void): Promise<void> {
  const busy = () =>
    readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
      .some((d) => {
        try {
          return readFileSync(`/proc/${d}/cmdline`, "utf8").includes("vitest");
        } catch {
          return false;
        }
      });
  const deadline = Date.now() + maxMs;
  if (busy()) progress("faults: waiting for other test runs to finish before restarting PostgreSQL");
  while (busy() && Date.now() < deadline) await sleep(2_000);
}
const RESTART = ["--skip-systemctl-redirect", "15", "main", "restart"];

export async function postgresRestart(ctx: FaultContext): Promise<FaultResult> {
  const name = "PostgreSQL restarted during ingest";
  const skip = (why: string): FaultResult => withoutCounts(name, { checks: [], skipped: why });
  if (ctx.quick) return skip("quick mode (it restarts the machine's shared PostgreSQL)");
  if (!(await postgresAvailable())) return skip("no PostgreSQL at 127.0.0.1:5432");
  await waitForQuietPostgres(90_000, ctx.progress);
  const tmp = await createTempDatabase("phospho_bench_faults");
  const collector = await startCollector({ db: tmp.url });
  const proxy = await startProxy(collector.port);
  const { client } = await faultClient(`${proxy.url}/v2`, collector.projectId, collector.apiKey, {
    maxRetries: 1_000,
    retryInitialDelayMs: 100,
    retryMaxDelayMs: 1_000,
  });
  const load = steadyLoad(client, "pgrestart", 300);
  try {
    await sleep(2_000);
    ctx.progress("faults: restarting PostgreSQL");
    const t0 = Date.now();
    await run("pg_ctlcluster", RESTART);
    const restartMs = Date.now() - t0;
    await sleep(3_000);
    await load.stop();
    const delivered = await client.flush(60_000);
    const s = stats(client);
    await client.shutdown(1_000);
    const stored = await storedTasks(tmp.url, collector.projectId);
    const result = accountFor(name, load.ids, proxy.acknowledged, stored.ids, s.dropped);
    const statuses = Object.entries(proxy.statuses)
      .map(([k, v]) => `${k}×${v}`)
      .join(", ");
    const fiveHundreds = Object.entries(proxy.statuses).filter(
      ([k]) => Number(k) >= 500 && Number(k) !== 503,
    );
    const alive = collector.process.exitCode === null && collector.process.signalCode === null;
    const probe = await fetch(`${collector.baseUrl}/log/${collector.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${collector.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: [{ input: "probe after the restart" }] }),
      signal: AbortSignal.timeout(5_000),
    }).then(
      (r) => `HTTP ${r.status}`,
      (e: Error) => `no reply within 5 s (${e.name})`,
    );
    const lines = collector.output().trim().split("\n");
    const tail = (lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? "").trim().slice(0, 300);
    result.checks.push(
      {
        what: "collector up and answering after the restart",
        ok: alive && probe === "HTTP 200",
        detail: alive ? `one-event ingest: ${probe}` : `exited: ${tail}`,
      },
      {
        what: "everything delivered",
        ok: delivered && result.stored === result.logged,
        detail: `flush → ${delivered}; restart took ${restartMs} ms`,
      },
      {
        what: "503 (not 500) while the database was away",
        ok: fiveHundreds.length === 0,
        detail: `replies: ${statuses}`,
      },
    );
    return result;
  } finally {
    await load.stop();
    await proxy.close();
    await collector.stop();
    await tmp.drop().catch(() => {});
  }
}

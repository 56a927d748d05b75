/**
 * Costly SQLite reads (issue 13, item 4), against the real binary while the SDK logs and a probe calls
 * `/v2/health`: rows of a megabyte of one letter make a search of 499 of that letter and a `b` cost tens of
 * milliseconds per row (every row is a candidate of its trigrams, none holds the text), well past the query budget
 * set for the run. Two clients (as many as the collector has readers) search it in a loop, so every reader is
 * always busy. Checks: costly searches stopped at the budget with 422 (or 503 when one waited a whole budget for
 * a reader; never another 5xx), health answered within
 * the probe bound, everything the SDK logged stored (its key checks never wait for a reader).
 */
import path from "node:path";
import { startCollector, type Collector } from "../lib/collector.js";
import { storedTasks } from "../lib/store.js";
import { probeHealth } from "./attacks.js";
import { faultClient, stats, steadyLoad } from "./load.js";
import { accountFor, type FaultContext, type FaultResult } from "./types.js";

const PROBE_BOUND_MS = 1_000;
const QUICK_PROBE_BOUND_MS = 5_000;

async function seedLongRows(collector: Collector, rows: number): Promise<void> {
  const input = `aab${"a".repeat(1_000_000 - 100)}`;
  for (let start = 0; start < rows; start += 5) {
    const events = [...Array(Math.min(5, rows - start))].map((_, i) => ({
      task_id: `long_${start + i}`,
      input,
    }));
    const res = await fetch(`${collector.baseUrl}/log/${collector.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${collector.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events }),
    });
    if (res.status !== 200) throw new Error(`seeding the long rows: ${res.status} ${await res.text()}`);
  }
}

async function costlySearches(collector: Collector, until: number, statuses: number[], times: number[]) {
  const body = JSON.stringify({ filters: { search: `${"a".repeat(499)}b` }, limit: 50 });
  while (Date.now() < until) {
    const started = performance.now();
    const res = await fetch(`${collector.origin}/v2/projects/${collector.projectId}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${collector.apiKey}`, "content-type": "application/json" },
      body,
    });
    await res.arrayBuffer();
    statuses.push(res.status);
    times.push(performance.now() - started);
  }
}

export async function costlyRead(ctx: FaultContext): Promise<FaultResult> {
  const db = path.join(ctx.workDir, "costly-read.db");
  const seconds = ctx.quick ? 4 : 15;
  const budgetMs = ctx.quick ? 500 : 1_000;
  const collector = await startCollector({ db, env: { PHOSPHO_QUERY_TIMEOUT_MS: String(budgetMs) } });
  try {
    ctx.progress("faults: seeding rows of a megabyte of one letter");
    await seedLongRows(collector, ctx.quick ? 24 : 80);
    const { client } = await faultClient(collector.baseUrl, collector.projectId, collector.apiKey);
    const load = steadyLoad(client, "costly", 100);
    // The same probe without the searches first, on the same machine: the figure to compare with.
    ctx.progress(`faults: health probes without costly searches for ${seconds} s`);
    const control = await probeHealth(collector, Date.now() + seconds * 1000);
    const until = Date.now() + seconds * 1000;
    const probe = probeHealth(collector, until);
    ctx.progress(`faults: costly searches on every reader for ${seconds} s`);
    const statuses: number[] = [];
    const times: number[] = [];
    const [, , { probes, probeFailures }] = await Promise.all([
      costlySearches(collector, until, statuses, times),
      costlySearches(collector, until, statuses, times),
      probe,
    ]);
    await load.stop();
    const delivered = await client.flush(60_000);
    const s = stats(client);
    await client.shutdown(1_000);
    const stored = await storedTasks(db, collector.projectId);
    const result = accountFor(
      `costly searches on every reader for ${seconds} s`,
      load.ids,
      new Set(),
      stored.ids,
      s.dropped,
    );
    result.acknowledged = s.sent;
    const bound = ctx.quick ? QUICK_PROBE_BOUND_MS : PROBE_BOUND_MS;
    const slowest = Math.max(...probes);
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const byStatus = new Map<number, number>();
    for (const status of statuses) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const show = [...byStatus].map(([status, n]) => `${n}×${status}`).join(" ");
    result.checks.push(
      {
        what: `health answered within ${bound / 1000} s`,
        ok: probeFailures === 0 && slowest < bound,
        detail:
          `${probes.length} probes, slowest ${slowest.toFixed(0)} ms, ${probeFailures} failed ` +
          `(without the searches: slowest ${Math.max(...control.probes).toFixed(0)} ms, ` +
          `${control.probeFailures} failed)`,
      },
      {
        what: `costly searches answered at the ${budgetMs} ms budget: 422, or 503 after waiting for a reader`,
        // A 200 is a search that ended within the budget (a warm cache); a 503 one that waited a whole budget for a
        // reader (on a loaded machine, a new reader, at its lower priority, is slow to start). The in-process test
        // packages/server/test/security/query-budget.test.ts checks the 422 itself, without timing.
        ok: statuses.length > 0 && statuses.every((status) => [200, 422, 503].includes(status)),
        detail: `${statuses.length} searches: ${show}; median reply ${median.toFixed(0)} ms`,
      },
      {
        what: "everything delivered",
        ok: delivered && result.stored === result.logged,
        detail: `flush → ${delivered}`,
      },
    );
    return result;
  } finally {
    await collector.stop();
  }
}

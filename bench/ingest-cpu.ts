/**
 * Issue 11: the collector's CPU per ingested event, one build against another. On a loaded 2-core machine the
 * events/s of the wire benchmark move by a third between runs; the CPU the collector spends per event moves far
 * less, so builds are compared by that. Each round starts every build on a fresh SQLite file (the real
 * `phospho-server` binary), posts the ingest suite's body (batches of 500 SDK-shaped events, 4 connections) for a
 * fixed number of requests after a warm-up, and reads the CPU time of the collector and its child processes from
 * /proc: once at the last reply, and once more when the search indexer has drained its backlog (`/health`). The
 * builds run in alternating order, round after round, so both see the same load.
 *
 *   npm run build -w packages/server && cp -r packages/server/dist .tmp/cpu/old-dist   # before a change
 *   ... change, npm run build -w packages/server ...
 *   node --import tsx bench/ingest-cpu.ts --old .tmp/cpu/old-dist [--rounds 4] [--requests 40] [--batch 500]
 *     [--engine sqlite|postgres] [--connections 4]
 *
 * Prints one line per run and a JSON summary: µs of collector CPU per event, at the last reply and settled.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { startCollector } from "./lib/collector.js";
import { wireEvent } from "./lib/load.js";
import { repoRoot, serverCli, tmpRoot } from "./lib/paths.js";
import { createTempDatabase } from "./lib/postgres.js";

const { values } = parseArgs({
  options: {
    old: { type: "string" },
    rounds: { type: "string" },
    requests: { type: "string" },
    batch: { type: "string" },
    engine: { type: "string" },
    connections: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds ?? 4);
const REQUESTS = Number(values.requests ?? 40);
const BATCH = Number(values.batch ?? 500);
const CONNECTIONS = Number(values.connections ?? 4);
const ENGINE = values.engine ?? "sqlite";
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

const builds: Array<{ name: string; cli: string }> = [{ name: "new", cli: serverCli }];
if (values.old) builds.unshift({ name: "old", cli: path.resolve(repoRoot, values.old, "cli.js") });

/** utime + stime of a process and of every process under it, in µs. */
function treeCpuUs(pid: number): number {
  let ticks = 0;
  const visit = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${tid}/children`, "utf8").trim();
        for (const child of children ? children.split(" ") : []) visit(Number(child));
      }
    } catch {
      // gone meanwhile
    }
  };
  visit(pid);
  return ticks * TICK_US;
}

async function post(origin: string, projectId: string, apiKey: string, body: string, amount: number) {
  const result = await autocannon({
    url: `${origin}/v2/log/${projectId}`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body,
    connections: CONNECTIONS,
    amount,
    timeout: 60,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${failed} of ${amount} requests failed`);
  return (result.finish.getTime() - result.start.getTime()) / 1000;
}

async function settled(origin: string) {
  for (;;) {
    const health = (await (await fetch(`${origin}/health`)).json()) as { search?: { pending: number } };
    if (!health.search || health.search.pending === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function withDb<T>(fn: (db: string) => Promise<T>): Promise<T> {
  if (ENGINE === "sqlite") return fn(path.join(tmpRoot, `ingest-cpu-${Date.now()}-${Math.random()}.db`));
  const tmp = await createTempDatabase("phospho_ingest_cpu");
  try {
    return await fn(tmp.url);
  } finally {
    await tmp.drop();
  }
}

async function measure(cli: string) {
  return withDb(async (db) => {
    const c = await startCollector({ db, cli });
    try {
      const body = JSON.stringify({
        batched_log_events: Array.from({ length: BATCH }, (_, i) => wireEvent(i)),
      });
      await post(c.origin, c.projectId, c.apiKey, body, 2 * CONNECTIONS);
      await settled(c.origin);
      const cpu0 = treeCpuUs(c.pid);
      const seconds = await post(c.origin, c.projectId, c.apiKey, body, REQUESTS);
      const cpu1 = treeCpuUs(c.pid);
      await settled(c.origin);
      const cpu2 = treeCpuUs(c.pid);
      const events = REQUESTS * BATCH;
      return {
        replyUs: (cpu1 - cpu0) / events,
        settledUs: (cpu2 - cpu0) / events,
        eventsPerS: events / seconds,
      };
    } finally {
      await c.stop();
    }
  });
}

const results: Record<string, Array<Awaited<ReturnType<typeof measure>>>> = {};
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const build of order) {
    const m = await measure(build.cli);
    (results[build.name] ??= []).push(m);
    console.log(
      `round ${r + 1} ${build.name}: ${m.replyUs.toFixed(0)} µs/event at the last reply, ` +
        `${m.settledUs.toFixed(0)} settled, ${m.eventsPerS.toFixed(0)} events/s`,
    );
  }
}
const range = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: Math.round(s[Math.floor(s.length / 2)]!),
    min: Math.round(s[0]!),
    max: Math.round(s.at(-1)!),
  };
};
console.log(
  JSON.stringify({
    engine: ENGINE,
    batch: BATCH,
    requests: REQUESTS,
    rounds: ROUNDS,
    ...Object.fromEntries(
      Object.entries(results).map(([name, ms]) => [
        name,
        {
          replyUsPerEvent: range(ms.map((m) => m.replyUs)),
          settledUsPerEvent: range(ms.map((m) => m.settledUs)),
          eventsPerS: range(ms.map((m) => m.eventsPerS)),
        },
      ]),
    ),
  }),
);

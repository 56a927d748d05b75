/**
 * One measured client in its own process: `--client phospho|langfuse|posthog|array --scenario
 * strings|completion|stream --mode latency|lag|heap --n N --sink URL`. Prints one JSON line with the result.
 *
 * - latency: per-call time (p50/p99, µs) of N calls after a warm-up, in blocks of 100 with a macrotask between
 *   blocks so background sending runs as it would in an app; plus CPU per event including that background work
 *   and the final flush.
 * - lag: event-loop delay (perf_hooks) while 10,000 events (`--lag-events`) are logged in blocks of 100 and
 *   delivered.
 * - heap: heap growth after 10,000 events (or `--heap-events`, scaled to 10,000) are queued and held (nothing
 *   sent), after a full GC.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setImmediate as tick, setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { makeClient, type ClientName, type Scenario } from "./clients.js";

const { values } = parseArgs({
  options: {
    client: { type: "string" },
    scenario: { type: "string", default: "strings" },
    mode: { type: "string", default: "latency" },
    n: { type: "string", default: "10000" },
    warmup: { type: "string", default: "2000" },
    sink: { type: "string" },
    "heap-events": { type: "string", default: "10000" },
    "lag-events": { type: "string", default: "10000" },
  },
});
const clientName = values.client as ClientName;
const scenario = values.scenario as Scenario;
const n = Number(values.n);
const sinkUrl = values.sink ?? "";
const BLOCK = 100;

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function runBlocks(
  client: Awaited<ReturnType<typeof makeClient>>,
  count: number,
  times?: Float64Array,
) {
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const p = client.call(scenario, i);
    if (p) await p;
    if (times) times[i] = Number(process.hrtime.bigint() - t0) / 1_000;
    if (i % BLOCK === BLOCK - 1) await tick();
  }
}

async function latency() {
  const client = await makeClient(clientName, sinkUrl, false);
  await runBlocks(client, Number(values.warmup));
  await sleep(50);
  const times = new Float64Array(n);
  const cpu0 = process.cpuUsage();
  await runBlocks(client, n, times);
  await client.close();
  const cpu = process.cpuUsage(cpu0);
  times.sort();
  return {
    p50us: pct(times, 0.5),
    p99us: pct(times, 0.99),
    cpuPerEventUs: (cpu.user + cpu.system) / n,
  };
}

async function lag() {
  const client = await makeClient(clientName, sinkUrl, false);
  await runBlocks(client, Number(values.warmup));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  for (let i = 0; i < Number(values["lag-events"]); i += BLOCK) {
    for (let j = 0; j < BLOCK; j++) {
      const p = client.call(scenario, i + j);
      if (p) await p;
    }
    await sleep(1);
  }
  await client.close();
  histogram.disable();
  return {
    lagP50ms: histogram.percentile(50) / 1e6,
    lagP99ms: histogram.percentile(99) / 1e6,
    lagMaxMs: histogram.max / 1e6,
  };
}

async function heap() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("heap mode needs node --expose-gc");
  const client = await makeClient(clientName, sinkUrl, true);
  // Warm the client's code paths (and fill its one-off caches) before the baseline.
  await runBlocks(client, 200);
  await tick();
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = Number(values["heap-events"]);
  await runBlocks(client, held);
  await tick();
  gc();
  const after = process.memoryUsage().heapUsed;
  void client.close();
  return { heapPer10kMB: ((after - before) / 2 ** 20) * (10_000 / held) };
}

const modes = { latency, lag, heap } as const;
const run = modes[values.mode as keyof typeof modes];
if (!run) throw new Error(`--mode must be one of ${Object.keys(modes).join(", ")}`);
const result = await run();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

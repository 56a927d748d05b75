/**
 * Benchmark 1, the SDK hot path: what one `log()` costs the caller, beside langfuse (trace + generation),
 * posthog-node (`capture`) and the floor (an array push), all sending the same content to a local sink process.
 * Each measurement runs in a fresh process; clients take turns within each repetition, and every ratio is
 * computed within one repetition before taking the median.
 */
import path from "node:path";
import { runJsonChild, startSinkProcess } from "../../lib/process.js";
import { repoRoot } from "../../lib/paths.js";
import { fmtRatio, fmtSummary, summarize } from "../../lib/stats.js";
import type { Section } from "../../lib/table.js";
import type { BenchContext } from "../context.js";
import { upstreamEntry, type ClientName, type Scenario } from "./clients.js";

const CHILD = path.join(repoRoot, "bench/suites/hotpath/child.ts");
// phospho 1.3.13 (the upstream module) is measured when it is installed (see `upstreamEntry`).
const CLIENTS: ClientName[] = upstreamEntry()
  ? ["phospho", "upstream", "langfuse", "posthog", "array"]
  : ["phospho", "langfuse", "posthog", "array"];
const SCENARIOS: Array<[Scenario, string]> = [
  ["strings", "plain strings"],
  ["completion", "OpenAI completion object"],
  ["stream", "50-chunk stream (incl. consuming it)"],
];
const LABEL: Record<ClientName, string> = {
  phospho: "phospho `log()`",
  upstream: "upstream phospho 1.3.13 `log()`",
  langfuse: "langfuse trace + generation",
  posthog: "posthog-node `capture`",
  array: "floor: array push",
};

interface Latency {
  p50us: number;
  p99us: number;
  cpuPerEventUs: number;
}
interface Lag {
  lagP50ms: number;
  lagP99ms: number;
  lagMaxMs: number;
}

export async function hotPath(ctx: BenchContext): Promise<Section> {
  const repeats = ctx.quick ? 1 : 5;
  const n = ctx.quick ? 1_000 : 10_000;
  const warmup = ctx.quick ? 300 : 2_000;
  // langfuse slows to ~20 ms per event once its queue holds hundreds of events: hold fewer and scale to 10,000.
  const langfuseHeld = ctx.quick ? 250 : 1_000;
  const sink = await startSinkProcess();
  try {
    const latency = new Map<string, Latency[]>();
    const lags = new Map<ClientName, Lag[]>();
    const heaps = new Map<ClientName, number[]>();
    const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => m.set(k, [...(m.get(k) ?? []), v]);
    for (let r = 0; r < repeats; r++) {
      ctx.progress(`hot path: repetition ${r + 1}/${repeats}`);
      for (const [scenario] of SCENARIOS) {
        for (const client of CLIENTS) {
          const res = await runJsonChild<Latency>(CHILD, [
            ...["--client", client, "--scenario", scenario, "--mode", "latency"],
            ...["--n", String(n), "--warmup", String(warmup), "--sink", sink.url],
          ]);
          push(latency, `${scenario}/${client}`, res);
        }
      }
      if (r < Math.min(repeats, 3)) {
        for (const client of CLIENTS) {
          const args = ["--client", client, "--scenario", "completion", "--sink", sink.url];
          const lagEvents = ctx.quick ? "2000" : "10000";
          push(
            lags,
            client,
            await runJsonChild<Lag>(CHILD, [
              ...args,
              "--mode",
              "lag",
              "--warmup",
              "500",
              "--lag-events",
              lagEvents,
            ]),
          );
          // langfuse's in-memory queue costs O(queue length) per event: hold 1,000 and scale to 10,000.
          const held = String(client === "langfuse" ? langfuseHeld : ctx.quick ? 2_000 : 10_000);
          const heap = await runJsonChild<{ heapPer10kMB: number }>(
            CHILD,
            [...args, "--mode", "heap", "--heap-events", held],
            { nodeArgs: ["--expose-gc"] },
          );
          push(heaps, client, heap.heapPer10kMB);
        }
      }
    }
    const counts = await sink.counts();

    const perCall = {
      title: `Cost per logged task, µs (median of ${repeats} processes × ${n.toLocaleString("en-US")} calls; min–max across processes)`,
      headers: ["content", "client", "p50 per call", "p99 per call", "CPU per event incl. sending"],
      rows: [] as string[][],
    };
    const ratios = {
      title: "Same-run ratios (median of per-repetition ratios; below 1 means phospho is cheaper)",
      headers: [
        "content",
        "phospho ÷ langfuse (p50)",
        "phospho ÷ langfuse (CPU)",
        "phospho ÷ posthog (p50)",
        "phospho ÷ floor (p50)",
        ...(CLIENTS.includes("upstream") ? ["phospho ÷ upstream 1.3.13 (p50)"] : []),
      ],
      rows: [] as string[][],
    };
    const goal: { lf: number[]; floor: number[] } = { lf: [], floor: [] };
    for (const [scenario, label] of SCENARIOS) {
      for (const client of CLIENTS) {
        const runs = latency.get(`${scenario}/${client}`) ?? [];
        perCall.rows.push([
          label,
          LABEL[client],
          fmtSummary(summarize(runs.map((x) => x.p50us))),
          fmtSummary(summarize(runs.map((x) => x.p99us))),
          fmtSummary(summarize(runs.map((x) => x.cpuPerEventUs))),
        ]);
      }
      const get = (c: ClientName) => latency.get(`${scenario}/${c}`) ?? [];
      const ratio = (c: ClientName, key: keyof Latency) =>
        summarize(get("phospho").map((p, i) => p[key] / (get(c)[i]?.[key] ?? Number.NaN)));
      const lf = ratio("langfuse", "p50us");
      const floor = ratio("array", "p50us");
      goal.lf.push(lf.median);
      goal.floor.push(floor.median);
      ratios.rows.push([
        label,
        fmtRatio(lf),
        fmtRatio(ratio("langfuse", "cpuPerEventUs")),
        fmtRatio(ratio("posthog", "p50us")),
        fmtRatio(floor),
        ...(CLIENTS.includes("upstream") ? [fmtRatio(ratio("upstream", "p50us"))] : []),
      ]);
    }
    const memory = {
      title: `Event loop and memory while logging ${ctx.quick ? "2,000" : "10,000"} OpenAI completions (min–max across runs)`,
      headers: [
        "client",
        "event-loop delay p99, ms",
        "event-loop delay max, ms",
        "heap per 10,000 queued events, MB",
      ],
      rows: CLIENTS.map((c) => [
        LABEL[c],
        fmtSummary(summarize((lags.get(c) ?? []).map((x) => x.lagP99ms))),
        fmtSummary(summarize((lags.get(c) ?? []).map((x) => x.lagMaxMs))),
        fmtSummary(summarize(heaps.get(c) ?? [])),
      ]),
    };
    const lfOk = goal.lf.every((x) => x <= 0.1);
    const floorOk = goal.floor.every((x) => x <= 3);
    return {
      heading: "1. SDK hot path",
      intro:
        "Each client runs alone in a fresh Node process and sends to a sink process on 127.0.0.1 that answers like " +
        "the real service (phospho `/v2/log`, langfuse `/api/public/ingestion`, posthog `/batch`). *p50/p99 per call* " +
        "is the time the caller's code waits for the call (for the stream: wrapping and consuming all 50 chunks). " +
        "*CPU per event* is the process's CPU time over the whole run divided by the events, so it includes work a " +
        "client defers to microtasks or timers (serialising, batching, HTTP) and its final flush. Calls run in blocks " +
        "of 100 with a macrotask between blocks, as an app would. Event-loop delay: `perf_hooks.monitorEventLoopDelay` " +
        "(1 ms resolution) while the completions are logged in blocks of 100 every millisecond and then flushed. " +
        "Heap: growth of `heapUsed` after a full GC, with batching held open so that nothing is sent.",
      tables: [perCall, ratios, memory],
      notes: [
        `Goal "log() ≤ 1/10 of langfuse per call": ${lfOk ? "met" : "not met"} (p50 ratio ${goal.lf.map((x) => x.toFixed(3)).join(" / ")} for strings / completion / stream).`,
        `Goal "log() within 3x of the array-push floor": ${floorOk ? "met" : "not met"} (p50 ratio ${goal.floor.map((x) => x.toFixed(1)).join(" / ")}).`,
        `Heap figures are measured with ${ctx.quick ? "2,000" : "10,000"} held events (langfuse: ${langfuseHeld.toLocaleString("en-US")}) and scaled to 10,000. ` +
          "langfuse's in-memory queue makes each enqueue cost more as the queue grows (about 20 ms per event with 1,000 " +
          "held), so holding 10,000 would take minutes; its per-event heap is flat between 250 and 1,000 held events.",
        `Requests the sink received, by path (nothing else was called): ${Object.entries(counts.paths)
          .map(([k, v]) => `\`${k}\` ${v.toLocaleString("en-US")}`)
          .join(", ")}.`,
      ],
    };
  } finally {
    await sink.stop();
  }
}

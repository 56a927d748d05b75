/**
 * Benchmark 6, the client wrappers: what `wrapOpenAI` adds to an `openai` call, by
 * `packages/phospho/scripts/wrap-overhead.mjs` run in fresh processes. Wall time over HTTP against a local fake
 * provider (answering at once, and after 20 ms as a fast real one would), and CPU on the app's thread with
 * canned bodies: the wrapper's own observation, then with `log()` and delivery.
 */
import path from "node:path";
import { runJsonChild } from "../../lib/process.js";
import { repoRoot } from "../../lib/paths.js";
import { fmtSummary, summarize } from "../../lib/stats.js";
import type { Section } from "../../lib/table.js";
import type { BenchContext } from "../context.js";

const SCRIPT = path.join(repoRoot, "packages/phospho/scripts/wrap-overhead.mjs");
const KINDS: Array<[string, string]> = [
  ["json", "chat completion"],
  ["stream", "streamed chat completion (30 chunks)"],
];

interface Wall {
  plainUs: number;
  wrappedUs: number;
  overheadPct: number;
}
interface Cpu {
  plainUs: number;
  observeUs: number;
  wrappedUs: number;
}
interface Run {
  wall: Record<string, Wall>;
  cpu: Record<string, Cpu>;
}

export async function wrapOverhead(ctx: BenchContext): Promise<Section> {
  const repeats = ctx.quick ? 1 : 3;
  const args = ctx.quick ? ["--rounds", "6", "--block", "10", "--cpu-calls", "600"] : [];
  const runs: Record<number, Run[]> = { 0: [], 20: [] };
  for (let r = 0; r < repeats; r++) {
    for (const delay of [0, 20]) {
      ctx.progress(`wrappers: repetition ${r + 1}/${repeats}, provider delay ${delay} ms`);
      const extra =
        delay === 0 ? [] : ["--rounds", ctx.quick ? "4" : "20", "--block", "10", "--cpu-calls", "200"];
      runs[delay]?.push(
        await runJsonChild<Run>(SCRIPT, ["--json", ...args, "--delay-ms", String(delay), ...extra]),
      );
    }
  }
  const of = (delay: number) => runs[delay] ?? [];
  const wall = {
    title: `Wall time per call, µs, and the wrapper's overhead (median of ${repeats} processes; min–max)`,
    headers: ["call", "provider delay", "unwrapped", "wrapped", "overhead, %"],
    rows: KINDS.flatMap(([kind, label]) =>
      [0, 20].map((delay) => {
        const w = of(delay).map((x) => x.wall[kind] as Wall);
        return [
          label,
          `${delay} ms`,
          fmtSummary(summarize(w.map((x) => x.plainUs))),
          fmtSummary(summarize(w.map((x) => x.wrappedUs))),
          fmtSummary(summarize(w.map((x) => x.overheadPct))),
        ];
      }),
    ),
  };
  const cpuRuns = of(0);
  const cpu = {
    title:
      "CPU on the app's thread per call, µs (canned bodies through the SDK's `fetch` option, no network)",
    headers: [
      "call",
      "unwrapped `openai` call",
      "+ wrapper's observation",
      "+ observation, `log()` and delivery",
    ],
    rows: KINDS.map(([kind, label]) => {
      const c = cpuRuns.map((x) => x.cpu[kind] as Cpu);
      return [
        label,
        fmtSummary(summarize(c.map((x) => x.plainUs))),
        fmtSummary(summarize(c.map((x) => x.observeUs))),
        fmtSummary(summarize(c.map((x) => x.wrappedUs))),
      ];
    }),
  };
  const worstWall = Math.max(...of(0).flatMap((x) => Object.values(x.wall).map((w) => w.overheadPct)));
  const worstCpu = Math.max(...cpuRuns.flatMap((x) => Object.values(x.cpu).map((c) => c.wrappedUs)));
  return {
    heading: "7. Client wrappers",
    intro:
      "The same `openai` calls, unwrapped and through `wrapOpenAI`, in alternating blocks within one process. Wall " +
      "time: against a fake provider in a child process over HTTP, delivery to a collector in that child running in " +
      "the background as in an app; each figure is the median of per-round ratios. CPU: `process.cpuUsage()` per " +
      "call, with the provider's bodies and the collector's replies canned, so the figures hold only the app's own " +
      "work; *observation* logs into a no-op, the last column into a real `Phospho` client.",
    tables: [wall, cpu],
    notes: [
      `Goal "≤ 5 % more wall time than unwrapped" (provider answering at once): ${worstWall <= 5 ? "met" : "not met"} (worst ${worstWall.toFixed(1)} %).`,
      `Goal "≤ 20 µs CPU per call": ${worstCpu <= 20 ? "met" : "not met"} (worst ${worstCpu.toFixed(1)} µs with log() and delivery; the observation alone is the middle column).`,
    ],
  };
}

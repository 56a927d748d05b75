/** The fault suite: each fault, in order, and a table of `logged / acknowledged / stored / dropped(reason)`. */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { tmpRoot } from "../lib/paths.js";
import { renderTable, type Table } from "../lib/table.js";
import { attacks } from "./attacks.js";
import { retryAfter } from "./backpressure.js";
import { malformedCorpus } from "./corpus.js";
import { costlyRead } from "./costly-read.js";
import { killDuringLoad } from "./kill.js";
import { outage } from "./outage.js";
import { postgresRestart } from "./pg-restart.js";
import { passed, withoutCounts, type FaultContext, type FaultResult } from "./types.js";

export const FAULTS: Record<string, (ctx: FaultContext) => Promise<FaultResult>> = {
  kill: killDuringLoad,
  outage,
  "retry-after": retryAfter,
  "pg-restart": postgresRestart,
  corpus: malformedCorpus,
  attacks,
  "costly-read": costlyRead,
};

export async function runFaults(opts: {
  quick: boolean;
  only?: string[];
  progress?: (m: string) => void;
}): Promise<FaultResult[]> {
  const results: FaultResult[] = [];
  for (const [name, fault] of Object.entries(FAULTS)) {
    if (opts.only && !opts.only.includes(name)) continue;
    const workDir = path.join(tmpRoot, "faults", `${name}-${process.pid}`);
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    try {
      results.push(await fault({ quick: opts.quick, workDir, progress: opts.progress ?? (() => {}) }));
    } catch (error) {
      results.push(
        withoutCounts(name, {
          checks: [
            { what: "ran to the end", ok: false, detail: (error as Error).message.split("\n")[0] ?? "" },
          ],
        }),
      );
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  return results;
}

export function faultTable(results: FaultResult[]): Table {
  const fmtDropped = (d: Record<string, number>) => {
    const entries = Object.entries(d);
    return entries.length ? entries.map(([k, v]) => `${v} (${k})`).join(", ") : "0";
  };
  return {
    headers: [
      "fault",
      "logged",
      "acknowledged",
      "stored",
      "dropped (reason)",
      "unaccounted",
      "result",
      "checks",
    ],
    rows: results.map((r) => [
      r.name,
      r.skipped ? "–" : r.logged.toLocaleString("en-US"),
      r.skipped ? "–" : r.acknowledged.toLocaleString("en-US"),
      r.skipped ? "–" : r.stored.toLocaleString("en-US"),
      r.skipped ? "–" : fmtDropped(r.dropped),
      r.skipped ? "–" : String(r.unaccounted),
      r.skipped ? `skipped: ${r.skipped}` : passed(r) ? "pass" : "FAIL",
      r.checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.what}: ${c.detail}`).join("; "),
    ]),
  };
}

export function renderFaults(results: FaultResult[]): string {
  return renderTable(faultTable(results));
}

/** Section 5 of docs/PERFORMANCE.md: the fault suite (bench/faults), full or quick, as one table. */
import { faultTable, runFaults } from "../faults/index.js";
import { passed } from "../faults/types.js";
import type { Section } from "../lib/table.js";
import type { BenchContext } from "./context.js";

export async function faultSection(ctx: BenchContext): Promise<Section> {
  const results = await runFaults({ quick: ctx.quick, progress: ctx.progress });
  const failed = results.filter((r) => !passed(r));
  const unaccounted = results.reduce((a, r) => a + r.unaccounted, 0);
  return {
    heading: "5. Faults",
    intro:
      "`npm run faults` (CI runs `--quick` through bench/test/faults-quick.test.ts). The real SDK logs into the real " +
      "`phospho-server` binary; *acknowledged* counts events a collector 200 confirmed (seen by a recording proxy, " +
      "or the SDK's `stats().sent` where no proxy sits in between); *stored* is read from the database afterwards; " +
      "*unaccounted* is logged − stored − dropped, plus acknowledged events missing from the store. Every task id is " +
      "known in advance, and each session's recorded length is compared with its task count to catch double counting.",
    tables: [faultTable(results)],
    notes: [
      `Goal "zero unaccounted events in every fault": ${unaccounted === 0 ? "met" : `not met (${unaccounted} unaccounted)`}; ` +
        `${failed.length === 0 ? "every fault passed its checks" : `failed: ${failed.map((r) => r.name).join(", ")}`}.`,
    ],
  };
}

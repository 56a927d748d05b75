/**
 * `npm run faults [-- --quick] [-- --only kill,corpus]`: runs the fault suite, prints one line per fault
 * (`logged / acknowledged / stored / dropped(reason)`) and the table, and exits non-zero if any fault lost an
 * accepted event or failed one of its checks.
 */
import { parseArgs } from "node:util";
import { FAULTS, renderFaults, runFaults } from "./index.js";
import { passed } from "./types.js";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const only = values.only?.split(",").map((s) => s.trim());
const unknown = (only ?? []).filter((n) => !(n in FAULTS));
if (unknown.length) {
  console.error(`unknown fault ${unknown.join(", ")}: choose among ${Object.keys(FAULTS).join(", ")}`);
  process.exit(2);
}
const started = Date.now();
const results = await runFaults({
  quick: values.quick ?? false,
  ...(only ? { only } : {}),
  progress: (m) =>
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}\n`),
});
for (const r of results) {
  const dropped =
    Object.entries(r.dropped)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ") || "0";
  const verdict = r.skipped ? `skipped: ${r.skipped}` : passed(r) ? "pass" : "FAIL";
  console.log(
    `${r.name}: ${r.logged} logged / ${r.acknowledged} acknowledged / ${r.stored} stored / dropped(${dropped}) — ${r.unaccounted} unaccounted — ${verdict}`,
  );
}
console.log(`\n${renderFaults(results)}\n`);
const failed = results.filter((r) => !passed(r));
if (failed.length) {
  console.error(`${failed.length} fault(s) failed: ${failed.map((r) => r.name).join(", ")}`);
  process.exit(1);
}
process.exit(0);

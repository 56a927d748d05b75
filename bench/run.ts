/**
 * `npm run bench [-- --quick] [-- --only name,name]`: runs the benchmarks, prints Markdown tables and, for a full
 * run, writes docs/PERFORMANCE.md. Each suite's section is kept in bench/.results/ so that a suite re-run alone
 * (`--only`) replaces just its own section; every section says when and with which command it was measured.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { describeMachine, machineLines } from "./lib/machine.js";
import { MissingPartError, repoRoot, tmpRoot } from "./lib/paths.js";
import { renderSection, skippedSection, type Section } from "./lib/table.js";
import type { Suite } from "./suites/context.js";
import { suites } from "./suites/index.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const quick = values.quick ?? false;
const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : null;
const unknown = [...(only ?? [])].filter((name) => !suites.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(", ")}: choose among ${suites.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const machine = describeMachine();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
const resultsDir = path.join(repoRoot, "bench", ".results");
const started = Date.now();

async function runSuite(suite: Suite): Promise<Section> {
  const workDir = path.join(tmpRoot, suite.name);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const t0 = Date.now();
  const progress = (message: string) =>
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
  progress(`${suite.name}: start`);
  try {
    // The numbered heading of the suite list is the one sections are found by when the file is reassembled.
    const section = { ...(await suite.run({ quick, workDir, progress })), heading: suite.heading };
    section.notes.push(
      `Measured ${new Date().toISOString().slice(0, 16)}Z in ${((Date.now() - t0) / 1000).toFixed(0)} s by \`${command}\`.`,
    );
    return section;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    // A part missing in this process or in a measured child process is a skip, anything else a failure.
    const missing = error instanceof MissingPartError || message.includes("MissingPartError");
    const why = missing
      ? message.replace(/^.*MissingPartError: /s, "")
      : `failed: ${((error as Error).stack ?? message).split("\n").slice(0, 4).join(" ")}`;
    progress(`${suite.name}: ${missing ? "skipped: " : ""}${why}`);
    return skippedSection(suite.heading, why);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function header(): string {
  return [
    "# Performance",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Every figure is the median of repeated runs " +
      "with the smallest and largest run in parentheses; every ratio is computed within one run. Goals are figures " +
      "to report, not tests; CI runs none of this except the shortened fault suite (`npm run faults -- --quick`).",
    "",
    "Machine:",
    ...machineLines(machine),
    "",
    `Last command: \`${command}\`. Each section ends with the command and time that measured it: a suite re-run ` +
      "with `--only` replaces its own section and keeps the others.",
  ].join("\n");
}

mkdirSync(resultsDir, { recursive: true });
const rendered: string[] = [];
for (const suite of suites) {
  if (only && !only.has(suite.name)) continue;
  const md = renderSection(await runSuite(suite));
  process.stdout.write(`\n${md}\n`);
  rendered.push(md);
  if (!quick) writeFileSync(path.join(resultsDir, `${suite.name}.md`), `${md}\n`);
}

if (quick) {
  mkdirSync(tmpRoot, { recursive: true });
  const file = path.join(tmpRoot, "PERFORMANCE.quick.md");
  writeFileSync(file, `${header()}\n\n${rendered.join("\n\n")}\n`);
  console.error(
    `quick run: written to ${path.relative(repoRoot, file)} (docs/PERFORMANCE.md is only written by full runs)`,
  );
} else {
  // Assemble every suite's latest full-run section, so a suite re-run alone keeps the others' figures. A suite
  // not measured on this machine (bench/.results is not committed) keeps its section from the committed file.
  const out = path.join(repoRoot, "docs", "PERFORMANCE.md");
  const committed = existsSync(out) ? sectionsOf(readFileSync(out, "utf8")) : new Map<string, string>();
  const sections = suites.map((s) => {
    const file = path.join(resultsDir, `${s.name}.md`);
    if (existsSync(file)) return readFileSync(file, "utf8").trim();
    return committed.get(s.heading) ?? renderSection(skippedSection(s.heading, "not measured yet"));
  });
  // The goal lines every section ends with, gathered at the top so the verdicts read in one place.
  const goals = sections.flatMap((md) => md.split("\n").filter((line) => line.startsWith("- Goal ")));
  const summary = goals.length ? `## Goals\n\n${goals.join("\n")}` : "";
  writeFileSync(out, `${[header(), summary, ...sections].filter(Boolean).join("\n\n")}\n`);
  console.error(`written to docs/PERFORMANCE.md in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The `## heading` sections of a PERFORMANCE.md, by heading, each running to the next `## ` line. */
function sectionsOf(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of markdown.split(/^(?=## )/m)) {
    const heading = /^## (.+)$/m.exec(part)?.[1];
    if (part.startsWith("## ") && heading) found.set(heading.trim(), part.trim());
  }
  return found;
}

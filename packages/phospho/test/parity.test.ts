// Parity with phospho 1.3.13: the same scripts (test/parity/scripts.mjs, code written for the upstream module)
// run against our built package and against upstream, each logging into one real `phospho-server`, and what
// each call returned and what the collector stored are compared. Upstream is run when it is installed (the
// `phospho-upstream` alias, or PHOSPHO_UPSTREAM=<path to its built CommonJS entry>); its results are also
// recorded in test/parity/upstream-1.3.13.json (PHOSPHO_PARITY_RECORD=1 rewrites it), so the comparison runs
// in every CI even where the upstream package cannot be installed. Every difference must be listed in
// DELIBERATE below, with its reason, and every listed difference must still exist.

import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasCollector, startCollectorProcess, type CollectorProcess } from "./helpers/collector-process.js";
import { ensureBuilt, packageDir } from "./helpers/built.js";
import { DELIBERATE, SCRIPTS } from "./parity/deliberate.js";
import { diffPaths, normalise, storedView, type Json } from "./parity/normalise.js";

const run = promisify(execFile);
const fixturePath = join(packageDir, "test/parity/upstream-1.3.13.json");
const PROJECT = "parity_project";
const KEY = "phk_parity_0123456789abcdef0123456789";

function upstreamEntry(): string | undefined {
  if (process.env.PHOSPHO_UPSTREAM) return process.env.PHOSPHO_UPSTREAM;
  try {
    return createRequire(import.meta.url).resolve("phospho-upstream");
  } catch {
    return undefined;
  }
}

interface Outcome {
  returned: Json;
  printed: boolean;
  stored: Json[];
}

let collector: CollectorProcess | undefined;
let baseUrl = "";

async function readTasks(ids: string[]): Promise<Json[]> {
  const response = await fetch(`${baseUrl}/projects/${PROJECT}/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: "{}",
  });
  const { tasks } = (await response.json()) as { tasks: Array<Record<string, unknown>> };
  return ids.map((id) => storedView(tasks.find((task) => task.id === id)));
}

async function runScript(entry: string, name: string, tag: string): Promise<Outcome> {
  const env = { ...process.env };
  for (const key of ["PHOSPHO_API_KEY", "PHOSPHO_PROJECT_ID", "PHOSPHO_BASE_URL"]) delete env[key];
  const script = join(packageDir, "test/parity/scripts.mjs");
  const { stdout } = await run(process.execPath, [script, entry, name, baseUrl, PROJECT, KEY, tag], {
    env,
    timeout: 20_000,
  });
  const line = stdout.trim().split("\n").at(-1) ?? "{}";
  const result = JSON.parse(line) as { returned: Json; tasks: string[]; printed: boolean };
  const stored = await readTasks(result.tasks);
  return normalise(
    { returned: result.returned, printed: result.printed, stored },
    tag,
    baseUrl,
  ) as unknown as Outcome;
}

describe.skipIf(!hasCollector)("parity with phospho 1.3.13", () => {
  const ours: Record<string, Outcome> = {};
  const upstream: Record<string, Outcome> = {};
  const entry = upstreamEntry();

  beforeAll(async () => {
    ensureBuilt();
    collector = await startCollectorProcess(PROJECT, KEY);
    baseUrl = collector.baseUrl;
    const oursEntry = join(packageDir, "dist/node.js");
    for (const name of SCRIPTS) ours[name] = await runScript(oursEntry, name, "ours");
    if (entry) {
      for (const name of SCRIPTS) upstream[name] = await runScript(entry, name, "upstream");
      if (process.env.PHOSPHO_PARITY_RECORD === "1") {
        writeFileSync(fixturePath, `${JSON.stringify(upstream, null, 2)}\n`);
      }
    } else {
      console.warn("[parity] phospho 1.3.13 is not installed: comparing with its recorded results");
      Object.assign(upstream, JSON.parse(readFileSync(fixturePath, "utf8")) as Record<string, Outcome>);
    }
  }, 240_000);

  afterAll(async () => {
    await collector?.stop();
  });

  it.each(SCRIPTS)("%s: same returns and stored tasks, except the listed deliberate differences", (name) => {
    const found = diffPaths(upstream[name] as unknown as Json, ours[name] as unknown as Json);
    const listed = Object.keys(DELIBERATE[name] ?? {});
    expect({ name, differences: found.sort() }).toEqual({ name, differences: listed.sort() });
  });
});

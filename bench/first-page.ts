/**
 * Issue 11's "tasks first page under 10 ms": the per-request cost of one list page, measured on its own. A store of
 * `--n` tasks (default 100,000) is seeded once by the queries suite's seeder into .tmp/first-page (reused while
 * it exists), copied into a fresh PostgreSQL database for `--engine postgres`, and the real `phospho-server`
 * binary is started on it. Then `--samples` (default 500) sequential GETs of `--path` (default the tasks first
 * page, the URL the dashboard and the queries suite use) are timed from this process until the body is read,
 * after `--warmup` (default 50). Besides wall time it reports the CPU time the collector (and, on SQLite, its
 * reader processes) spent per request, read from /proc: on a shared, loaded machine CPU per request is the
 * figure that repeats, wall time is not.
 *
 *   npm run build -w packages/server && node --import tsx bench/first-page.ts [--engine sqlite|postgres]
 *     [--n 100000] [--samples 500] [--path sessions] [--profile DIR]
 *
 * `--profile DIR` starts the collector under `node --cpu-prof` (profiles written into DIR when it stops).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { BENCH_API_KEY, BENCH_PROJECT_ID, startCollector } from "./lib/collector.js";
import { dashboardCookie, timedGet } from "./lib/http.js";
import { repoRoot } from "./lib/paths.js";
import { createTempDatabase } from "./lib/postgres.js";
import { fmt, quantile } from "./lib/stats.js";
import { migrateStore } from "./lib/store.js";
import { copyToPostgres } from "./suites/queries/postgres-copy.js";

const { values } = parseArgs({
  options: {
    engine: { type: "string" },
    n: { type: "string" },
    samples: { type: "string" },
    warmup: { type: "string" },
    path: { type: "string" },
    profile: { type: "string" },
  },
});
const ENGINE = values.engine ?? "sqlite";
const N = Number(values.n ?? 100_000);
const SAMPLES = Number(values.samples ?? 500);
const WARMUP = Number(values.warmup ?? 50);
const BASE = `/api/projects/${BENCH_PROJECT_ID}`;
const PATHS: Record<string, string> = {
  tasks: `${BASE}/tasks?limit=50`,
  sessions: `${BASE}/sessions?limit=50`,
};
const PATH = PATHS[values.path ?? "tasks"] ?? values.path!;

/** The seeded SQLite store, made once. */
async function seeded(): Promise<string> {
  const dir = path.join(repoRoot, ".tmp", "first-page");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `tasks-${N}.db`);
  if (existsSync(file)) return file;
  const tmp = `${file}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  await migrateStore(tmp);
  execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "bench/suites/queries/seed.ts"), "--db", tmp, "--n", String(N)],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  renameSync(tmp, file);
  return file;
}

const TICKS_PER_MS = 100 / 1000; // USER_HZ is 100 on Linux

/** utime + stime of one process, in ms (0 once it has gone). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS;
  } catch {
    return 0;
  }
}

/** The pids of a process's children (the SQLite reader processes). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const list = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    if (list) out.push(...list.split(" ").map(Number));
  }
  return out;
}

async function main() {
  const file = await seeded();
  const pgDb = ENGINE === "postgres" ? await createTempDatabase("phospho_first_page") : null;
  try {
    if (pgDb) await copyToPostgres(file, pgDb.url);
    const profile = values.profile ? path.resolve(values.profile) : undefined;
    if (profile) mkdirSync(profile, { recursive: true });
    const collector = await startCollector({
      db: pgDb?.url ?? file,
      env: { PHOSPHO_ANALYTICS: "off" },
      ...(profile && { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profile}`] }),
    });
    try {
      const headers = { cookie: await dashboardCookie(collector.origin, BENCH_API_KEY) };
      let bytes = 0;
      for (let i = 0; i < WARMUP; i++) {
        const res = await timedGet(`${collector.origin}${PATH}`, headers);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        bytes = res.bytes;
      }
      const readers = children(collector.pid);
      const cpu0 = cpuMs(collector.pid);
      const readers0 = readers.reduce((sum, pid) => sum + cpuMs(pid), 0);
      const times: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < SAMPLES; i++)
        times.push((await timedGet(`${collector.origin}${PATH}`, headers)).ms);
      const wall = performance.now() - t0;
      const collectorCpu = (cpuMs(collector.pid) - cpu0) / SAMPLES;
      const readersCpu = (readers.reduce((sum, pid) => sum + cpuMs(pid), 0) - readers0) / SAMPLES;
      console.log(
        JSON.stringify({
          engine: ENGINE,
          n: N,
          path: PATH,
          samples: SAMPLES,
          bytes,
          p50: fmt(quantile(times, 0.5)),
          p95: fmt(quantile(times, 0.95)),
          meanMs: fmt(wall / SAMPLES),
          collectorCpuMsPerRequest: fmt(collectorCpu),
          readersCpuMsPerRequest: fmt(readersCpu),
          readers: readers.length,
        }),
      );
    } finally {
      await collector.stop();
    }
  } finally {
    await pgDb?.drop();
  }
}

await main();

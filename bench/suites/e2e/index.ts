/**
 * Benchmark 2, end to end: the SDK logs N events into the real `phospho-server` binary until they are stored
 * and queryable, on SQLite and PostgreSQL; the floor is the same rows inserted directly with the same driver in
 * one process. Each repetition uses a fresh database; the ratio is taken within a repetition.
 */
import path from "node:path";
import { BENCH_API_KEY, BENCH_PROJECT_ID, startCollector } from "../../lib/collector.js";
import { repoRoot } from "../../lib/paths.js";
import { createTempDatabase, postgresAvailable } from "../../lib/postgres.js";
import { runJsonChild } from "../../lib/process.js";
import { countPgTasks, countSqliteTasks, migrateStore } from "../../lib/store.js";
import { fmtRatio, fmtSummary, summarize } from "../../lib/stats.js";
import type { Section, Table } from "../../lib/table.js";
import type { SdkStats } from "../../lib/sdk.js";
import type { BenchContext } from "../context.js";

const CHILD = path.join(repoRoot, "bench/suites/e2e/child.ts");
const FLOOR = path.join(repoRoot, "bench/suites/e2e/floor.ts");
/** The SDK's default batch size, used for the floor's transactions too. */
const DEFAULT_BATCH = 50;
/** The SDK with batching sized for throughput (`batchSize: 500`): the row of the events/s goal. */
const BATCHED = 500;
const GOAL_EVENTS_PER_SEC = 15_000;

interface Config {
  engine: "sqlite" | "postgres";
  /** Events per request, and rows per floor transaction. */
  batch: number;
  label: string;
}

interface Run {
  e2e: number;
  floor: number;
}

async function oneRun(ctx: BenchContext, { engine, batch }: Config, n: number, r: number): Promise<Run> {
  const fresh = async () => {
    if (engine === "sqlite") {
      const file = path.join(ctx.workDir, `e2e-${r}-${Math.random().toString(36).slice(2)}.db`);
      return { url: file, drop: async () => {}, count: async () => countSqliteTasks(file) };
    }
    const tmp = await createTempDatabase("phospho_bench_e2e");
    return { url: tmp.url, drop: () => tmp.drop(), count: () => countPgTasks(tmp.url) };
  };

  const db = await fresh();
  let e2eRate: number;
  try {
    const collector = await startCollector({ db: db.url });
    try {
      const res = await runJsonChild<{ ms: number; stats: SdkStats }>(CHILD, [
        ...["--base-url", collector.baseUrl, "--project", BENCH_PROJECT_ID, "--key", BENCH_API_KEY],
        ...["--n", String(n), "--batch", String(batch)],
      ]);
      const stored = await db.count();
      if (stored !== n) throw new Error(`${engine}: ${stored} of ${n} events stored`);
      e2eRate = n / (res.ms / 1000);
    } finally {
      await collector.stop();
    }
  } finally {
    await db.drop();
  }

  const floorDb = await fresh();
  try {
    await migrateStore(floorDb.url);
    const res = await runJsonChild<{ ms: number }>(FLOOR, [
      ...["--db", floorDb.url, "--project", BENCH_PROJECT_ID, "--n", String(n), "--batch", String(batch)],
    ]);
    return { e2e: e2eRate, floor: n / (res.ms / 1000) };
  } finally {
    await floorDb.drop();
  }
}

export async function endToEnd(ctx: BenchContext): Promise<Section> {
  const n = ctx.quick ? 2_000 : 20_000;
  const repeats = ctx.quick ? 1 : 3;
  const configs: Config[] = [
    { engine: "sqlite", batch: DEFAULT_BATCH, label: "SQLite (WAL, synchronous=FULL)" },
    { engine: "sqlite", batch: BATCHED, label: "SQLite, SDK `batchSize: 500` (floor: 500-row transactions)" },
  ];
  const notes: string[] = [];
  if (await postgresAvailable())
    configs.push({ engine: "postgres", batch: DEFAULT_BATCH, label: "PostgreSQL 15 (local)" });
  else notes.push("PostgreSQL: skipped: no server at PHOSPHO_TEST_DATABASE_URL / 127.0.0.1:5432.");

  const table: Table = {
    title: `${n.toLocaleString("en-US")} OpenAI completions logged through the SDK (events/s, median of ${repeats}; min–max)`,
    headers: [
      "store",
      "SDK → phospho-server → stored and read back",
      "floor: raw insert, same driver",
      "ratio to floor",
    ],
    rows: [],
  };
  let sqliteRatio = Number.NaN;
  let batchedRate = Number.NaN;
  for (const config of configs) {
    const runs: Run[] = [];
    for (let r = 0; r < repeats; r++) {
      ctx.progress(`end to end: ${config.label} ${r + 1}/${repeats}`);
      runs.push(await oneRun(ctx, config, n, r));
    }
    const ratio = summarize(runs.map((x) => x.e2e / x.floor));
    if (config.engine === "sqlite" && config.batch === DEFAULT_BATCH) sqliteRatio = ratio.median;
    if (config.engine === "sqlite" && config.batch === BATCHED) {
      batchedRate = summarize(runs.map((x) => x.e2e)).median;
    }
    table.rows.push([
      config.label,
      fmtSummary(summarize(runs.map((x) => x.e2e))),
      fmtSummary(summarize(runs.map((x) => x.floor))),
      fmtRatio(ratio),
    ]);
  }
  notes.unshift(
    `Goal "end-to-end SQLite ≥ half of the raw-insert floor": ${sqliteRatio >= 0.5 ? "met" : "not met"} (ratio ${sqliteRatio.toFixed(2)} with the SDK's defaults).`,
    `Goal "SDK → collector → SQLite ≥ ${GOAL_EVENTS_PER_SEC.toLocaleString("en-US")} events/s" (SDK \`batchSize: ${BATCHED}\`, one collector): ${batchedRate >= GOAL_EVENTS_PER_SEC ? "met" : "not met"} (median ${Math.round(batchedRate).toLocaleString("en-US")} events/s).`,
    "The `batchSize: 500` row is a diagnostic of what limits the default row: the SDK keeps one request in " +
      "flight, so each batch pays one round trip and one commit (an fsync at `synchronous=FULL`); ten times fewer " +
      "requests shows how much of the gap to the floor those per-request costs explain.",
  );
  return {
    heading: "2. End to end",
    intro:
      "The SDK (defaults: batches of 50, one request in flight) runs in its own process and logs N OpenAI completions " +
      "(query and completion objects, user and version ids) into the `phospho-server` binary; the clock stops when " +
      "`flush()` has resolved (the collector acknowledges only after commit) and the last task has been read back " +
      "through `GET /v2/tasks/{id}`; then the stored row count is checked. The floor inserts the same rows (same " +
      "texts, raw JSON, metadata and derived columns) into a database migrated by the collector's own migrations " +
      "(so the same indexes and full-text triggers), with the same driver and pragmas, in transactions of 50 rows " +
      "(SQLite: better-sqlite3 prepared statements; PostgreSQL: one multi-row `INSERT` per batch over one `pg` connection).",
    tables: [table],
    notes,
  };
}

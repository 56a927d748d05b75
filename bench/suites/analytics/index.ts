/**
 * Benchmark 6, analytics: ingest with five keyword/regex definitions and language + sentiment on against the runner
 * off (the goal: at least 0.8x); the offline pass and a back-fill over many tasks (tasks/s); LLM detection against
 * a fake endpoint at concurrency 8 (tasks/s, and jobs lost: the goal is 0). SQLite, one process each.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { BENCH_PROJECT_ID, startCollector } from "../../lib/collector.js";
import { postLoad, type LoadResult } from "../../lib/load.js";
import { e2eRow } from "../../lib/rows.js";
import { openSqlite, sqliteTaskInserter } from "../../lib/store.js";
import { fmtRatio, fmtSummary, summarize } from "../../lib/stats.js";
import type { Section, Table } from "../../lib/table.js";
import type { BenchContext } from "../context.js";
import { startFakeEndpoint } from "./fake-llm.js";
import { FIVE_DEFINITIONS, serverModules } from "./server-modules.js";

const INPUTS = [
  "I want to talk to a human agent about my refund for order #123456",
  "What is the capital of Australia?",
  "Je voudrais un remboursement, s'il vous plaît",
  "My email is jane.doe@example.com, please send the invoice",
  "This is the third time I ask, I am angry",
  "Wie spät ist es in Tokio?",
];

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("analytics bench: the runner did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A SQLite file with the project, the five definitions and `tasks` tasks (written directly, in bulk). */
async function seed(file: string, tasks: number, definitions = FIVE_DEFINITIONS): Promise<string[]> {
  const { analytics, store: storeModule } = await serverModules();
  const store = await storeModule.openStore(file, { warn: () => {} });
  const ids: string[] = [];
  try {
    await store.createProject(BENCH_PROJECT_ID, BENCH_PROJECT_ID);
    for (const definition of definitions) {
      ids.push(
        (await analytics.createDefinition(store.db, BENCH_PROJECT_ID, { description: "", ...definition })).id,
      );
    }
  } finally {
    await store.close();
  }
  if (tasks > 0) {
    const db = openSqlite(file);
    const insert = sqliteTaskInserter(db);
    const now = Date.now() - 60_000;
    for (let start = 0; start < tasks; start += 10_000) {
      const rows = [];
      for (let i = start; i < Math.min(tasks, start + 10_000); i++) {
        rows.push({
          ...e2eRow(BENCH_PROJECT_ID, `t${i}`, i, now - i),
          input: INPUTS[i % INPUTS.length]!,
          updated_at: now,
        });
      }
      insert(rows);
    }
    db.close();
  }
  return ids;
}

async function ingestRun(ctx: BenchContext, analyticsOn: boolean, seconds: number): Promise<LoadResult> {
  const file = path.join(ctx.workDir, `ingest-${analyticsOn ? "on" : "off"}-${Date.now()}.db`);
  await seed(file, 0, analyticsOn ? FIVE_DEFINITIONS : []);
  const collector = await startCollector({
    db: file,
    env: { PHOSPHO_ANALYTICS: analyticsOn ? "on" : "off" },
  });
  try {
    return await postLoad({
      origin: collector.origin,
      projectId: collector.projectId,
      apiKey: collector.apiKey,
      batch: 10,
      connections: 10,
      seconds,
    });
  } finally {
    await collector.stop();
  }
}

export async function analyticsBench(ctx: BenchContext): Promise<Section> {
  const seconds = ctx.quick ? 2 : 10;
  const repeats = ctx.quick ? 1 : 3;
  const backfillTasks = ctx.quick ? 10_000 : 100_000;
  const llmTasks = ctx.quick ? 200 : 1_000;
  const notes: string[] = [];
  const { analytics, store: storeModule } = await serverModules();

  // 1. Ingest with analytics on and off, alternating so that drift of the machine hits both alike.
  const on: LoadResult[] = [];
  const off: LoadResult[] = [];
  for (let r = 0; r < repeats; r++) {
    // Alternating which goes first, so that a drift of the shared machine does not favour one side.
    for (const analyticsOn of r % 2 === 0 ? [false, true] : [true, false]) {
      ctx.progress(`analytics: ingest ${analyticsOn ? "on" : "off"} ${r + 1}/${repeats}`);
      (analyticsOn ? on : off).push(await ingestRun(ctx, analyticsOn, seconds));
    }
  }
  const ratio = summarize(on.map((run, i) => run.eventsPerSec / (off[i]?.eventsPerSec ?? Number.NaN)));
  const ingest: Table = {
    title: `Ingest, SQLite, batches of 10, 10 connections, ${seconds} s per run (median of ${repeats}; min–max)`,
    headers: ["runner", "events/s", "p99 latency, ms", "non-2xx or errors"],
    rows: [
      [
        "off (`PHOSPHO_ANALYTICS=off`)",
        fmtSummary(summarize(off.map((r) => r.eventsPerSec))),
        fmtSummary(summarize(off.map((r) => r.p99ms))),
        String(off.reduce((a, r) => a + r.failed, 0)),
      ],
      [
        "on: 5 keyword/regex definitions + language + sentiment",
        fmtSummary(summarize(on.map((r) => r.eventsPerSec))),
        fmtSummary(summarize(on.map((r) => r.p99ms))),
        String(on.reduce((a, r) => a + r.failed, 0)),
      ],
    ],
  };
  notes.push(`Goal: ingest with analytics on ÷ off ≥ 0.8x: ${fmtRatio(ratio)}.`);

  // 2. The offline pass over existing tasks, then a back-fill of the five definitions.
  ctx.progress(`analytics: seeding ${backfillTasks} tasks`);
  const file = path.join(ctx.workDir, "backfill.db");
  const ids = await seed(file, backfillTasks);
  const store = await storeModule.openStore(file, { warn: () => {} });
  const runner = analytics.createAnalyticsRunner(store, {
    runner: { pollMs: 10 },
    scan: { settleMs: 0, maxBatchesPerScan: 50 },
  });
  const offline: string[][] = [];
  try {
    ctx.progress("analytics: always-on pass");
    let t0 = Date.now();
    runner.start();
    await until(() => count(file, "SELECT count(*) AS n FROM task_analytics") >= backfillTasks, 30 * 60_000);
    const passSeconds = (Date.now() - t0) / 1000;
    offline.push([
      "always-on pass: language + sentiment + 5 definitions",
      String(backfillTasks),
      passSeconds.toFixed(1),
      (backfillTasks / passSeconds).toFixed(0),
    ]);
    ctx.progress("analytics: back-fill");
    t0 = Date.now();
    const backfillId = await analytics.createBackfill(store.db, BENCH_PROJECT_ID, ids, {}, (jobs, trx) =>
      runner.enqueue(jobs, trx),
    );
    await until(
      () =>
        count(file, `SELECT count(*) AS n FROM backfills WHERE id = '${backfillId}' AND status = 'done'`) ===
        1,
      30 * 60_000,
    );
    const backfillSeconds = (Date.now() - t0) / 1000;
    offline.push([
      "back-fill: 5 definitions",
      String(backfillTasks),
      backfillSeconds.toFixed(1),
      (backfillTasks / backfillSeconds).toFixed(0),
    ]);
  } finally {
    await runner.stop();
    await store.close();
  }
  notes.push(
    `Back-fill over ${backfillTasks.toLocaleString("en")} tasks, not 1,000,000: at these rates a million takes ` +
      "about ten times as long, too long for a run on this shared machine. The dashboard shows each chunk's results " +
      "as soon as it commits (500 tasks per chunk), so the time until the first results show is one chunk's.",
  );

  // 3. LLM detection against a fake endpoint (50 ms per answer) at concurrency 8.
  ctx.progress("analytics: LLM detection");
  const fake = await startFakeEndpoint(50);
  const llmFile = path.join(ctx.workDir, "llm.db");
  await seed(llmFile, 0, []);
  const llmStore = await storeModule.openStore(llmFile, { warn: () => {} });
  await analytics.createDefinition(llmStore.db, BENCH_PROJECT_ID, {
    name: "Frustrated",
    description: "The user is angry.",
    scope: "input",
    detector: "llm_tagger",
    config: {},
  });
  await analytics.saveEndpoint(llmStore.db, BENCH_PROJECT_ID, {
    baseUrl: fake.baseUrl,
    model: "fake",
    apiKey: "sk-bench",
  });
  await llmStore.close();
  const db = openSqlite(llmFile);
  const insert = sqliteTaskInserter(db);
  const now = Date.now() - 60_000;
  insert(
    Array.from({ length: llmTasks }, (_, i) => ({
      ...e2eRow(BENCH_PROJECT_ID, `l${i}`, i, now),
      input: INPUTS[i % INPUTS.length]!,
    })),
  );
  db.close();
  const llmRunnerStore = await storeModule.openStore(llmFile, { warn: () => {} });
  const llmRunner = analytics.createAnalyticsRunner(llmRunnerStore, {
    runner: { pollMs: 10, concurrency: 8, llmRatePerSecond: 10_000 },
    scan: { settleMs: 0, maxBatchesPerScan: 50 },
  });
  let llmRow: string[];
  try {
    const t0 = Date.now();
    llmRunner.start();
    await until(() => count(llmFile, "SELECT count(*) AS n FROM detections") >= llmTasks, 10 * 60_000);
    const llmSeconds = (Date.now() - t0) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const detections = count(llmFile, "SELECT count(*) AS n FROM detections");
    const failed = count(llmFile, "SELECT count(*) AS n FROM jobs WHERE status = 'failed'");
    llmRow = [
      String(llmTasks),
      llmSeconds.toFixed(1),
      (llmTasks / llmSeconds).toFixed(1),
      String(fake.requests()),
      String(llmTasks - detections + failed),
    ];
  } finally {
    await llmRunner.stop();
    await llmRunnerStore.close();
    await fake.close();
  }

  return {
    heading: "8. Analytics",
    intro:
      "The analytics runner (`src/jobs/`, `src/analytics/`) beside ingest, and on its own. Ingest runs the real " +
      "`phospho-server`; the passes over existing tasks run the built runner in the bench process on one SQLite file.",
    tables: [
      ingest,
      {
        title: "Offline detectors over existing tasks (SQLite, runner concurrency 4)",
        headers: ["pass", "tasks", "seconds", "tasks/s"],
        rows: offline,
      },
      {
        title:
          "LLM tagger against a fake OpenAI-compatible endpoint answering in 50 ms, runner concurrency 8",
        headers: ["tasks", "seconds", "tasks/s", "requests", "jobs lost or failed"],
        rows: [llmRow],
      },
    ],
    notes,
  };
}

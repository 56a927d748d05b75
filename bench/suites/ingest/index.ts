/**
 * Benchmark 3, the collector alone: autocannon posts `/v2/log` batches of 1, 10 and 100 events (10 connections)
 * at one `phospho-server` on SQLite and on PostgreSQL; then two collector processes over one PostgreSQL
 * against one, the load split across both ports. Every repetition starts from a fresh database.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { startCollector, type Collector } from "../../lib/collector.js";
import { addFailures, describeFailures, postLoad, type LoadResult } from "../../lib/load.js";
import { createTempDatabase, postgresAvailable } from "../../lib/postgres.js";
import { fmt, fmtRatio, fmtSummary, summarize } from "../../lib/stats.js";
import type { Section, Table } from "../../lib/table.js";
import type { BenchContext } from "../context.js";
import { rawInsertFloor } from "./floor.js";
import { measureLongSession, withFreshDatabase } from "./long-session.js";

const CONNECTIONS = 10;

async function withDb<T>(ctx: BenchContext, engine: string, fn: (url: string) => Promise<T>): Promise<T> {
  if (engine === "sqlite") return fn(path.join(ctx.workDir, `ingest-${Date.now()}-${Math.random()}.db`));
  const tmp = await createTempDatabase("phospho_bench_ingest");
  try {
    return await fn(tmp.url);
  } finally {
    await tmp.drop();
  }
}

/** Scale-out runs pin collector i to CPU i (taskset) when the machine has a core for each. */
const pinnable = (count: number) => availableParallelism() >= count;

async function withCollectors<T>(
  db: string,
  count: number,
  fn: (c: Collector[]) => Promise<T>,
  pin = false,
): Promise<T> {
  const collectors: Collector[] = [];
  try {
    // Started one after the other: migrations run once, the second start finds them applied.
    for (let i = 0; i < count; i++) collectors.push(await startCollector({ db, ...(pin ? { cpu: i } : {}) }));
    return await fn(collectors);
  } finally {
    await Promise.all(collectors.map((c) => c.stop()));
  }
}

/** A table row; a row whose runs had failed requests also adds what those were to `failureNotes`. */
const row = (label: string, runs: LoadResult[], failureNotes: string[]) => {
  const what = describeFailures(runs);
  if (what) failureNotes.push(`${label}: ${what}`);
  return [
    label,
    fmtSummary(summarize(runs.map((r) => r.eventsPerSec))),
    fmtSummary(summarize(runs.map((r) => r.requestsPerSec))),
    fmtSummary(summarize(runs.map((r) => r.p50ms))),
    fmtSummary(summarize(runs.map((r) => r.p99ms))),
    String(runs.reduce((a, r) => a + r.failed, 0)),
  ];
};

export async function collectorIngest(ctx: BenchContext): Promise<Section> {
  const seconds = ctx.quick ? 1 : 10;
  const repeats = ctx.quick ? 1 : 3;
  const engines = ["sqlite"];
  const notes: string[] = [];
  const failureNotes: string[] = [];
  const pg = await postgresAvailable();
  if (pg) engines.push("postgres");
  else notes.push("PostgreSQL rows and scale-out: skipped: no PostgreSQL at 127.0.0.1:5432.");
  const headers = [
    "load",
    "events/s",
    "requests/s",
    "p50 latency, ms",
    "p99 latency, ms",
    "non-2xx or errors",
  ];

  const single: Table = {
    title: `One collector, ${CONNECTIONS} connections, ${seconds} s per run (median of ${repeats}; min–max)`,
    headers,
    rows: [],
  };
  for (const engine of engines) {
    for (const batch of [1, 10, 100]) {
      const runs: LoadResult[] = [];
      for (let r = 0; r < repeats; r++) {
        ctx.progress(`ingest: ${engine}, batch ${batch}, ${r + 1}/${repeats}`);
        runs.push(
          await withDb(ctx, engine, (db) =>
            withCollectors(db, 1, ([c]) =>
              postLoad({
                origin: c!.origin,
                projectId: c!.projectId,
                apiKey: c!.apiKey,
                batch,
                connections: CONNECTIONS,
                seconds,
              }),
            ),
          ),
        );
      }
      single.rows.push(
        row(`${engine === "sqlite" ? "SQLite" : "PostgreSQL"}, batch of ${batch}`, runs, failureNotes),
      );
    }
  }

  // Batches of 500 from four writers against the raw-insert floor, and one long session, on each engine.
  const floorRows: string[][] = [];
  const floorRatios: number[] = [];
  for (let r = 0; r < repeats; r++) {
    ctx.progress(`ingest: raw-insert floor and batches of 500, ${r + 1}/${repeats}`);
    const floor = rawInsertFloor(ctx.workDir, ctx.quick ? 5_000 : 50_000);
    const wire = await withDb(ctx, "sqlite", (db) =>
      withCollectors(db, 1, ([c]) =>
        postLoad({
          origin: c!.origin,
          projectId: c!.projectId,
          apiKey: c!.apiKey,
          batch: 500,
          connections: 4,
          seconds,
        }),
      ),
    );
    floorRatios.push(wire.eventsPerSec / floor);
    const what = describeFailures([wire]);
    if (what) failureNotes.push(`Batches of 500, run ${r + 1}: ${what}`);
    floorRows.push([
      `run ${r + 1}`,
      fmt(floor),
      fmt(wire.eventsPerSec),
      `${fmt(wire.eventsPerSec / floor)}×`,
      String(wire.failed),
    ]);
  }
  const floorRatio = summarize(floorRatios);
  notes.push(
    `Goal "wire ingest (SQLite, batches of 500, four writers) ≥ 0.25× the raw-insert floor": ${floorRatio.median >= 0.25 ? "met" : "not met"} (median ratio ${floorRatio.median.toFixed(2)}).`,
  );
  const floorTable: Table = {
    title: `Wire ingest (SQLite, batches of 500, 4 connections, ${seconds} s) against the raw-insert floor (better-sqlite3, same rows, primary key only, 500-row transactions, WAL), events/s`,
    headers: ["run", "raw-insert floor", "wire ingest", "ratio", "non-2xx or errors"],
    rows: floorRows,
  };
  const sessionTasks = ctx.quick ? 10_000 : 100_000;
  const longRows: string[][] = [];
  for (const engine of engines) {
    ctx.progress(`ingest: one session of ${sessionTasks} tasks on ${engine}`);
    const result = await withFreshDatabase(engine, (url) =>
      measureLongSession(url, sessionTasks, ctx.progress),
    );
    longRows.push([
      engine === "sqlite" ? "SQLite" : "PostgreSQL",
      fmt(result.firstRate),
      fmt(result.lastRate),
      `${fmt(result.lastRate / result.firstRate)}×`,
    ]);
  }
  const longTable: Table = {
    title: `One session of ${sessionTasks.toLocaleString("en-US")} tasks fed 10 at a time, straight into the store: tasks/s`,
    headers: ["store", "first 2,000", "last 2,000", "last ÷ first"],
    rows: longRows,
  };
  const tables = [single, floorTable, longTable];
  if (pg) {
    const batch = 100;
    const pin = pinnable(2);
    const one: LoadResult[] = [];
    const two: LoadResult[] = [];
    for (let r = 0; r < repeats; r++) {
      ctx.progress(`ingest: scale-out ${r + 1}/${repeats}`);
      one.push(
        await withDb(ctx, "postgres", (db) =>
          withCollectors(
            db,
            1,
            ([c]) =>
              postLoad({
                origin: c!.origin,
                projectId: c!.projectId,
                apiKey: c!.apiKey,
                batch,
                connections: 2 * CONNECTIONS,
                seconds,
              }),
            pin,
          ),
        ),
      );
      two.push(
        await withDb(ctx, "postgres", (db) =>
          withCollectors(
            db,
            2,
            async (cs) => {
              const parts = await Promise.all(
                cs.map((c) =>
                  postLoad({
                    origin: c.origin,
                    projectId: c.projectId,
                    apiKey: c.apiKey,
                    batch,
                    connections: CONNECTIONS,
                    seconds,
                  }),
                ),
              );
              return {
                eventsPerSec: parts.reduce((a, p) => a + p.eventsPerSec, 0),
                requestsPerSec: parts.reduce((a, p) => a + p.requestsPerSec, 0),
                p50ms: Math.max(...parts.map((p) => p.p50ms)),
                p99ms: Math.max(...parts.map((p) => p.p99ms)),
                failed: parts.reduce((a, p) => a + p.failed, 0),
                failures: parts.reduce((all, p) => {
                  addFailures(all, p.failures);
                  return all;
                }, {}),
                details: Object.assign({}, ...parts.map((p) => p.details)),
              };
            },
            pin,
          ),
        ),
      );
    }
    const scale = summarize(two.map((t, i) => t.eventsPerSec / (one[i]?.eventsPerSec ?? Number.NaN)));
    tables.push({
      title: `Scale-out over one PostgreSQL: batches of ${batch}, ${2 * CONNECTIONS} connections in total, ${seconds} s (median of ${repeats}; min–max)`,
      headers,
      rows: [
        row("one collector process", one, failureNotes),
        row("two collector processes (10 connections each)", two, failureNotes),
      ],
    });
    const cores = availableParallelism();
    notes.push(
      `Goal "two collectors over one PostgreSQL ≥ 1.6× one, each on its own core": ${scale.median >= 1.6 ? "met" : "not met"} (median ${scale.median.toFixed(2)}×).`,
      `Two processes ÷ one: ${fmtRatio(scale)} events/s. Latency of the two-process row is the worse of the two ports. ` +
        (pin
          ? `Each collector is pinned to its own core with \`taskset -c\` (the single collector to core 0, the pair to cores 0 and 1), so one process gets one core and two get two. What still shares those ${cores} cores: PostgreSQL's backends, the load generator (autocannon, in the bench process) and whatever else runs on the machine; so this is a lower bound of the gain on separate machines.`
          : `This machine has fewer cores than collectors (${cores}): nothing is pinned, and the collectors, PostgreSQL and the load generator share the cores.`),
    );
  }
  notes.push(
    failureNotes.length === 0
      ? "Failed requests: none in any run (every reply a 2xx, no socket error or timeout)."
      : `Failed requests, by kind (over the repetitions of each row): ${failureNotes.join("; ")}.`,
  );
  return {
    heading: "3. Collector ingest alone",
    intro:
      "autocannon (in the bench process) posts the same `/v2/log` body repeatedly, each event shaped as the SDK sends " +
      "it (texts, raw OpenAI query and completion, model, tokens, user and version ids) but without `task_id`, so " +
      "every request stores new tasks. A 200 is sent only after commit. Events/s counts 2xx replies × batch size.",
    tables,
    notes,
  };
}

/**
 * Issue 11: the common-phrase search ("refund policy", in most tasks) at `--n` tasks (default 100,000), before and
 * after migration 013, in one run. One store is seeded by the queries suite's seeder (bench/suites/queries/seed.ts)
 * under the current schema, then copied twice: into the old schema (002's external-content FTS5 table, rebuilt
 * by FTS5's 'rebuild'; the triggers do not matter to a read) and into the current schema with the index built
 * without the `--pending` (default 1,000) newest tasks, left pending, as a lagging indexer would leave them. The tasks page's
 * query shape (the filtered rows as a derived table, newest first, 51 rows) runs on each with its own search
 * condition, alternating, `--samples` times (default 30) after one warm-up each, timed in CPU ms of this process.
 *
 *   npm run build -w packages/server && node --import tsx bench/search-query.ts [--n 100000]
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { repoRoot } from "./lib/paths.js";
import { quantile } from "./lib/stats.js";
import { migrateStore } from "./lib/store.js";

const { values } = parseArgs({
  options: { n: { type: "string" }, samples: { type: "string" }, pending: { type: "string" } },
});
const N = Number(values.n ?? 100_000);
const SAMPLES = Number(values.samples ?? 30);
const PENDING = Number(values.pending ?? 1_000);
const PROJECT = "bench_project";
const Q = "refund policy";

const FTS = `(SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH '"ref" AND "efu" AND "fun" AND "und" AND "nd " AND "d p" AND " po" AND "pol" AND "oli" AND "lic" AND "icy"')`;
const EXACT = `(instr(lower(tasks.input), '${Q}') > 0 OR instr(lower(coalesce(tasks.output, '')), '${Q}') > 0)`;
const page = (search: string) =>
  `SELECT * FROM (SELECT * FROM tasks WHERE project_id = '${PROJECT}' AND (${search} AND ${EXACT})) AS tasks
   ORDER BY created_at DESC, received_at DESC, id DESC LIMIT 51`;
const OLD = page(`+tasks.rowid IN ${FTS}`);
const NEW = page(`+tasks.rowid IN (${FTS.slice(1, -1)} UNION ALL SELECT task_rowid FROM search_pending)`);

// Attribution: the query's extra term alone, against an empty log created in the old copy.
const OLD_WITH_EMPTY = page(
  `+tasks.rowid IN (${FTS.slice(1, -1)} UNION ALL SELECT task_rowid FROM search_pending2)`,
);

const dir = mkdtempSync(path.join(tmpdir(), "phospho-search-query-"));
try {
  const current = path.join(dir, "current.db");
  await migrateStore(current);
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(repoRoot, "bench/suites/queries/seed.ts"),
      "--db",
      current,
      "--n",
      String(N),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const old = path.join(dir, "old.db");
  const lagging = path.join(dir, "lagging.db");
  copyFileSync(current, old);
  copyFileSync(current, lagging);

  const o = new Database(old);
  o.exec(`DROP TRIGGER search_pending_insert; DROP TRIGGER search_pending_update; DROP TRIGGER search_pending_delete;
    DROP TABLE search_pending; DROP TABLE tasks_fts;
    CREATE VIRTUAL TABLE tasks_fts USING fts5(input, output, content='tasks', content_rowid='rowid', tokenize='trigram');
    INSERT INTO tasks_fts(tasks_fts, rank) VALUES('hashsize', 268435456);
    INSERT INTO tasks_fts(tasks_fts) VALUES('rebuild');
    INSERT INTO tasks_fts(tasks_fts, rank) VALUES('hashsize', 1048576);
    CREATE TABLE search_pending2 (task_rowid INTEGER PRIMARY KEY, queued_at INTEGER NOT NULL);`);
  o.close();
  const l = new Database(lagging);
  // As if the indexer had not reached the newest tasks yet: an index built without them (no deletions in it).
  l.exec(`INSERT INTO search_pending (task_rowid, queued_at)
      SELECT rowid, 0 FROM tasks ORDER BY created_at DESC LIMIT ${PENDING};
    DELETE FROM tasks_fts;
    INSERT INTO tasks_fts(tasks_fts, rank) VALUES('hashsize', 268435456);
    INSERT INTO tasks_fts (rowid, input, output) SELECT rowid, input, output FROM tasks
      WHERE rowid NOT IN (SELECT task_rowid FROM search_pending);
    INSERT INTO tasks_fts(tasks_fts, rank) VALUES('hashsize', 1048576);`);
  l.close();

  const runs = [
    { name: "old triggers (002)", file: old, sql: OLD },
    { name: "pending log (013), nothing pending", file: current, sql: NEW },
    { name: `pending log (013), ${PENDING} newest pending`, file: lagging, sql: NEW },
    // Attribution: the new index alone, without the pending term; and the bare index lookups of each schema.
    { name: "pending log (013), index term only", file: current, sql: OLD },
    { name: "old triggers (002), with the pending term on an empty log", file: old, sql: OLD_WITH_EMPTY },
    { name: "old triggers (002), index lookup only", file: old, sql: `SELECT count(*) FROM ${FTS}` },
    { name: "pending log (013), index lookup only", file: current, sql: `SELECT count(*) FROM ${FTS}` },
  ].map((run) => {
    const db = new Database(run.file, { readonly: true });
    const statement = db.prepare(run.sql);
    const rows = statement.all().length;
    return { ...run, db, statement, rows, times: [] as number[] };
  });
  for (let k = 0; k < SAMPLES; k++) {
    for (const run of k % 2 === 0 ? runs : [...runs].reverse()) {
      // CPU time of this process, not wall time: on a shared machine the scheduler's share is most of the noise.
      const cpu = process.cpuUsage();
      run.statement.all();
      const used = process.cpuUsage(cpu);
      run.times.push((used.user + used.system) / 1000);
    }
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const base = median(runs[0]!.times);
  console.log(
    JSON.stringify({
      tasks: N,
      samples: SAMPLES,
      runs: runs.map((run) => ({
        name: run.name,
        rows: run.rows,
        p50ms: +median(run.times).toFixed(2),
        p95ms: +quantile(run.times, 0.95).toFixed(2),
        vsOld: +(median(run.times) / base).toFixed(2),
      })),
    }),
  );
  for (const run of runs) run.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

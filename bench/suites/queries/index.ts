/**
 * Benchmark 4, queries at one million tasks (quick: 20,000): seed a SQLite store with realistic tasks, start the
 * `phospho-server` binary on it, sign in to the dashboard API with the project key as the dashboard allows, and
 * time its routes. The seeded file is cached under .tmp/bench-cache (seeding 1M takes minutes); delete it to
 * reseed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { BENCH_API_KEY, BENCH_PROJECT_ID, startCollector, type Collector } from "../../lib/collector.js";
import { dashboardCookie, timedGet, timedStream } from "../../lib/http.js";
import { repoRoot, serverStoreEntry } from "../../lib/paths.js";
import { runJsonChild } from "../../lib/process.js";
import { fmt, quantile } from "../../lib/stats.js";
import { migrateStore, sqliteSizeBytes } from "../../lib/store.js";
import type { Section, Table } from "../../lib/table.js";
import type { BenchContext } from "../context.js";

const SEED = path.join(repoRoot, "bench/suites/queries/seed.ts");
const CACHE = path.join(repoRoot, ".tmp", "bench-cache");
/** Per-query time budget once a request is slow (SLOW_MS or more). */
const SLOW_MS = 1_000;
const BUDGET_MS = 20_000;
/** Bump when the seeder's data changes, so an old cached file is not reused. */
const SEED_VERSION = 1;

interface SeedInfo {
  ms: number;
  tasks: number;
  sessions: number;
  evals: number;
}

/** A hash of the collector's built migrations: a cached store is reused only with the schema it was made with. */
function schemaHash(): string {
  const dir = path.join(path.dirname(serverStoreEntry), "migrations");
  const hash = createHash("sha256");
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort())
    hash.update(f).update(readFileSync(path.join(dir, f)));
  return hash.digest("hex").slice(0, 10);
}

async function seeded(
  ctx: BenchContext,
  n: number,
): Promise<{ file: string; info: SeedInfo; cached: boolean }> {
  mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, `tasks-${n}-v${SEED_VERSION}-${schemaHash()}.db`);
  const infoFile = `${file}.json`;
  if (existsSync(file) && existsSync(infoFile)) {
    return { file, info: JSON.parse(readFileSync(infoFile, "utf8")) as SeedInfo, cached: true };
  }
  const tmp = `${file}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  ctx.progress(`queries: seeding ${n.toLocaleString("en-US")} tasks`);
  await migrateStore(tmp);
  const info = await runJsonChild<SeedInfo>(
    SEED,
    ["--db", tmp, "--n", String(n), "--project", BENCH_PROJECT_ID],
    {
      timeoutMs: 3_600_000,
    },
  );
  renameSync(tmp, file);
  writeFileSync(infoFile, JSON.stringify(info));
  return { file, info, cached: false };
}

/** Reads what the queries need from the seeded file: sessions to open, and the cursor of a deep page. */
function probe(file: string, n: number) {
  const db = new Database(file, { readonly: true });
  try {
    const sessions = (
      db
        .prepare("SELECT id FROM sessions WHERE project_id = ? ORDER BY id LIMIT 40 OFFSET ?")
        .all(BENCH_PROJECT_ID, Math.floor(n / 20)) as Array<{ id: string }>
    ).map((r) => r.id);
    // The next-page cursor the API returns is the last row's (created_at, received_at, id); this is the one a
    // user would hold after paging halfway down the newest-first list.
    const mid = db
      .prepare(
        "SELECT created_at, received_at, id FROM tasks WHERE project_id = ? ORDER BY created_at DESC, received_at DESC, id DESC LIMIT 1 OFFSET ?",
      )
      .get(BENCH_PROJECT_ID, Math.floor(n / 2)) as { created_at: number; received_at: number; id: string };
    const cursor = Buffer.from(JSON.stringify([mid.created_at, mid.received_at, mid.id])).toString(
      "base64url",
    );
    return { sessions, cursor };
  } finally {
    db.close();
  }
}

interface Query {
  label: string;
  path: (i: number) => string;
}

export async function queriesAtScale(ctx: BenchContext): Promise<Section> {
  const n = ctx.quick ? 20_000 : 1_000_000;
  const samples = ctx.quick ? 10 : 30;
  const { file, info, cached } = await seeded(ctx, n);
  const { sessions, cursor } = probe(file, n);
  const base = `/api/projects/${BENCH_PROJECT_ID}`;
  const queries: Query[] = [
    { label: "tasks, first page (50, newest first)", path: () => `${base}/tasks?limit=50` },
    {
      label: "tasks, filtered: flag=failure & version_id=v3",
      path: () => `${base}/tasks?limit=50&flag=failure&version_id=v3`,
    },
    {
      label: "tasks, filtered: user_id (one of 5,000 users)",
      path: (i) => `${base}/tasks?limit=50&user_id=user_${(i * 37) % 5000}`,
    },
    {
      label: "tasks, filtered: metadata plan=pro & model",
      path: () => `${base}/tasks?limit=50&meta=plan%3Dpro&model=gpt-4o`,
    },
    {
      label: `tasks, deep keyset page (row ${(n / 2).toLocaleString("en-US")})`,
      path: () => `${base}/tasks?limit=50&cursor=${cursor}`,
    },
    {
      label: 'full-text search "refund policy" (~2.5% of tasks)',
      path: () => `${base}/tasks?limit=50&q=refund%20policy`,
    },
    {
      label: 'full-text search "nowhere-to-be-found"',
      path: () => `${base}/tasks?limit=50&q=nowhere-to-be-found`,
    },
    { label: "overview aggregates, last 7 days (the UI's default)", path: () => `${base}/overview?range=7d` },
    { label: "overview aggregates, all time", path: () => `${base}/overview` },
    { label: "sessions list, first page", path: () => `${base}/sessions?limit=50` },
    { label: "session view (transcript)", path: (i) => `${base}/sessions/${sessions[i % sessions.length]}` },
    {
      label: "CSV export, one user's tasks (streamed)",
      path: (i) => `${base}/export?format=csv&user_id=user_${(i * 53) % 5000}`,
    },
  ];

  const collector: Collector = await startCollector({ db: file });
  try {
    const rssIdle = collector.rss();
    const cookie = await dashboardCookie(collector.origin, BENCH_API_KEY);
    const headers = { cookie };
    const table: Table = {
      title:
        `Dashboard API at ${n.toLocaleString("en-US")} tasks, SQLite: ${samples} sequential requests each after ` +
        `warm-up (fewer, never under 5, when one request takes seconds; see n); ms`,
      headers: ["request", "p50", "p95", "min–max", "n", "rows or bytes"],
      rows: [],
    };
    let firstPageP50 = Number.NaN;
    let firstPageP95 = Number.NaN;
    for (const q of queries) {
      ctx.progress(`queries: ${q.label}`);
      let warmMs = 0;
      for (let i = 0; i < 3 && warmMs < SLOW_MS; i++) {
        warmMs = (await timedGet(`${collector.origin}${q.path(i + 1000)}`, headers)).ms;
      }
      // A query taking seconds gets a time budget instead of a count, so one slow aggregate cannot eat the run.
      const count = Math.max(5, Math.min(samples, Math.floor(BUDGET_MS / Math.max(warmMs, 1))));
      const times: number[] = [];
      let size = "";
      for (let i = 0; i < count; i++) {
        const res = await timedGet(`${collector.origin}${q.path(i)}`, headers);
        if (res.status !== 200) throw new Error(`${q.label}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        times.push(res.ms);
        if (i === 0) {
          const parsed = res.body.startsWith("{") ? (JSON.parse(res.body) as Record<string, unknown>) : null;
          const list = parsed?.tasks ?? parsed?.sessions;
          size = Array.isArray(list) ? `${list.length} rows` : `${fmt(res.bytes / 1024)} KiB`;
        }
      }
      const p50 = quantile(times, 0.5);
      const p95 = quantile(times, 0.95);
      if (q === queries[0]) [firstPageP50, firstPageP95] = [p50, p95];
      table.rows.push([
        q.label,
        fmt(p50),
        fmt(p95),
        `${fmt(Math.min(...times))}–${fmt(Math.max(...times))}`,
        String(count),
        size,
      ]);
    }
    const rssAfterQueries = collector.rss();

    ctx.progress("queries: full CSV export");
    let rssPeak = collector.rss();
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, collector.rss())), 50);
    const full = await timedStream(`${collector.origin}${base}/export?format=csv`, headers);
    clearInterval(sampler);
    if (full.status !== 200) throw new Error(`full export: HTTP ${full.status}`);
    const mib = (b: number) => `${fmt(b / 2 ** 20)} MiB`;
    const resources: Table = {
      title: "Store and collector",
      headers: ["measure", "value"],
      rows: [
        [
          "tasks / sessions / evals seeded",
          `${info.tasks.toLocaleString("en-US")} / ${info.sessions.toLocaleString("en-US")} / ${info.evals.toLocaleString("en-US")}`,
        ],
        ["seeding time", `${fmt(info.ms / 1000)} s${cached ? " (cached file from an earlier run)" : ""}`],
        ["store size on disk (SQLite file + WAL)", mib(sqliteSizeBytes(file))],
        [
          "full CSV export: lines, size",
          `${(full.lines - 1).toLocaleString("en-US")} rows, ${mib(full.bytes)}`,
        ],
        [
          "full CSV export: first byte, total",
          `${fmt(full.ttfbMs)} ms, ${fmt(full.ms / 1000)} s (${fmt((full.lines - 1) / (full.ms / 1000))} rows/s)`,
        ],
        ["collector RSS: idle after start", mib(rssIdle)],
        ["collector RSS: after the queries above", mib(rssAfterQueries)],
        ["collector RSS: peak during the full export", mib(rssPeak)],
      ],
    };
    return {
      heading: "4. Queries at one million tasks",
      intro:
        `${n.toLocaleString("en-US")} tasks seeded into a SQLite store migrated by the collector (sessions of 1–9 tasks, ` +
        "5,000 users, 5 versions, 3 models, 2 environments, metadata, tokens, latency, ~12% flagged with eval history, " +
        "notes and human evals; 90 days) — see bench/suites/queries/seed.ts. Then the `phospho-server` binary is started " +
        "on the file, the bench signs in to `/api` with the project API key (as the dashboard's sign-in page does) and " +
        "times each request from the client over loopback until the body is read: an upper bound on server-side time.",
      tables: [table, resources],
      notes: [
        `Goal "first tasks page at 1M < 50 ms server-side": ${n < 1_000_000 ? "not measured at 1M in this run" : firstPageP95 < 50 ? "met" : firstPageP50 < 50 ? "met at p50, not at p95" : "not met"} (p50 ${fmt(firstPageP50)} ms, p95 ${fmt(firstPageP95)} ms).`,
        "PostgreSQL at this scale is not measured here; sections 2 and 3 compare the engines on ingest.",
      ],
    };
  } finally {
    await collector.stop();
  }
}

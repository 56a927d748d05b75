/**
 * Seeds a store with many dashboard-shaped tasks (batched INSERTs through the store's Kysely handle, so the FTS
 * triggers and indexes are maintained as in production), then times the dashboard API in process
 * (`app.inject`: routing, SQL and JSON, no network).
 *
 *   node --import tsx bench/dashboard-seed.ts [--tasks 100000] [--db /tmp/dash.db | postgres://…] [--runs 20] [--analyze]
 *
 * `--analyze` runs ANALYZE first (what `PRAGMA optimize` does over time), which lets SQLite pick the
 * per-column indexes for selective filters such as user_id.
 *
 * `seedTasks(store, projectId, count)` is exported for other benchmarks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql, type Insertable } from "kysely";
import { rebuildAggregates } from "../packages/server/src/aggregates/index.js";
import { buildApp } from "../packages/server/src/app.js";
import { issueSignInToken } from "../packages/server/src/dashboard/index.js";
import { openStore } from "../packages/server/src/store/index.js";
import type { SessionsTable, TasksTable } from "../packages/server/src/store/schema.js";
import type { Store } from "../packages/server/src/store/types.js";

const WORDS = (
  "trip hotel flight train museum weather visa budget beach mountain city guide booking airport ticket ferry " +
  "restaurant vegetarian breakfast sunset hiking tram metro bicycle rental passport currency luggage station " +
  "castle market festival island lake river bridge cathedral palace garden tower harbour night morning weekend"
).split(" ");
const MODELS = ["gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet", "llama-3.1-70b"];
const VERSIONS = ["v1", "v2", "v3"];
const DAY_MS = 86_400_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function sentence(rnd: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rnd() * WORDS.length)] ?? "trip");
  return out.join(" ");
}

/** Inserts `count` tasks over the last 90 days (sessions of 4 tasks, 2,000 users) in batches of `batch`. */
export async function seedTasks(
  store: Store,
  projectId: string,
  count: number,
  batch = 500,
  now = Date.now(),
): Promise<void> {
  const rnd = rng(1234);
  for (let start = 0; start < count; start += batch) {
    const tasks: Array<Insertable<TasksTable>> = [];
    const sessions: Array<Insertable<SessionsTable>> = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const createdAt = now - Math.floor(((count - i) / count) * 90 * DAY_MS);
      const sessionIndex = Math.floor(i / 4);
      const userId = `user_${sessionIndex % 2000}`;
      const model = MODELS[i % MODELS.length] ?? "gpt-4o";
      const versionId = VERSIONS[Math.floor(rnd() * VERSIONS.length)] ?? "v1";
      const r = rnd();
      const flag = r < 0.2 ? "failure" : r < 0.6 ? "success" : null;
      const promptTokens = 50 + Math.floor(rnd() * 500);
      const completionTokens = 20 + Math.floor(rnd() * 300);
      const latency = 200 + Math.floor(rnd() * 3000);
      const plan = ["free", "pro", "team"][i % 3] ?? "free";
      const metadata = { user_id: userId, version_id: versionId, model, plan, region: i % 2 ? "eu" : "us" };
      tasks.push({
        project_id: projectId,
        id: `task_${String(i).padStart(8, "0")}`,
        session_id: `session_${sessionIndex}`,
        created_at: createdAt,
        received_at: createdAt + 50,
        updated_at: createdAt + 50,
        last_update: createdAt,
        input: `Question ${i}: ${sentence(rnd, 12)}?`,
        output: `Answer ${i}: ${sentence(rnd, 40)}.`,
        raw_input: null,
        raw_output: null,
        raw_input_type_name: "string",
        raw_output_type_name: "string",
        metadata: JSON.stringify(metadata),
        user_id: userId,
        version_id: versionId,
        model,
        system_prompt: "You are a travel assistant.",
        environment: "production",
        test_id: null,
        step_id: null,
        status: null,
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        latency_ms: latency,
        ttft_ms: Math.floor(latency / 4),
        flag,
        flag_source: flag ? "user" : null,
        notes: i % 50 === 0 ? "checked by hand" : null,
        human_eval: null,
        human_eval_at: null,
        last_eval: null,
        task_position: (i % 4) + 1,
        is_last_task: i % 4 === 3 ? 1 : 0,
        step_count: 0,
      });
      if (i % 4 === 0) {
        sessions.push({
          project_id: projectId,
          id: `session_${sessionIndex}`,
          created_at: createdAt,
          last_message_ts: createdAt + 3 * 60_000,
          session_length: 4,
          first_task_id: `task_${String(i).padStart(8, "0")}`,
          last_task_id: `task_${String(i + 3).padStart(8, "0")}`,
          preview: `Question ${i}`,
          user_id: userId,
          metadata: "{}",
          prompt_tokens: 0,
          completion_tokens: 0,
          total_tokens: 0,
          success_count: 0,
          failure_count: 0,
          notes: null,
        });
      }
    }
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto("tasks").values(tasks).execute();
      if (sessions.length > 0) await trx.insertInto("sessions").values(sessions).execute();
    });
  }
  // The rows went in beside the ingest path, so the aggregates are recounted from them once.
  await rebuildAggregates(store.db);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tasks: { type: "string", default: "100000" },
      db: { type: "string" },
      runs: { type: "string", default: "20" },
      analyze: { type: "boolean", default: false },
    },
  });
  const count = Number(values.tasks);
  const runs = Number(values.runs);
  const dir = values.db ? null : mkdtempSync(join(tmpdir(), "phospho-dash-bench-"));
  const url = values.db ?? join(dir ?? "", "dash.db");
  const store = await openStore(url, { warn: () => {} });
  try {
    const projectId = "bench_dashboard";
    if (!(await store.getProject(projectId))) {
      await store.createProject("Dashboard bench", projectId);
      const t0 = performance.now();
      await seedTasks(store, projectId, count);
      console.log(
        `seeded ${count} tasks into ${store.dialect} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    if (values.analyze) await sql`ANALYZE`.execute(store.db);
    const app = await buildApp({ store });
    const signin = await app.inject({ method: "GET", url: `/signin?token=${await issueSignInToken(store)}` });
    const cookie = String(signin.headers["set-cookie"]).split(";")[0] ?? "";
    const base = `/api/projects/${projectId}`;
    const deepCursor = await (async () => {
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        const url: string = `${base}/tasks?limit=50${cursor ? `&cursor=${cursor}` : ""}`;
        const page: { nextCursor: string | null } = (
          await app.inject({ method: "GET", url, headers: { cookie } })
        ).json();
        cursor = page.nextCursor;
      }
      return cursor ?? "";
    })();
    const cases: Array<[string, string]> = [
      ["tasks page 1, unfiltered", `${base}/tasks?limit=50`],
      ["tasks page 21 (keyset cursor)", `${base}/tasks?limit=50&cursor=${deepCursor}`],
      ["tasks, flag=failure", `${base}/tasks?limit=50&flag=failure`],
      ["tasks, flag+model+version", `${base}/tasks?limit=50&flag=success&model=gpt-4o&version_id=v2`],
      ["tasks, last 7 days", `${base}/tasks?limit=50&range=7d`],
      ["tasks, user_id", `${base}/tasks?limit=50&user_id=user_42`],
      ["tasks, metadata plan=pro", `${base}/tasks?limit=50&meta=plan%3Dpro`],
      ["tasks, has notes", `${base}/tasks?limit=50&has_notes=1`],
      ["tasks, sorted by latency", `${base}/tasks?limit=50&sort=-latency_ms`],
      ["search 'cathedral' (common)", `${base}/tasks?limit=50&q=cathedral`],
      ["search 'Question 99999' (rare)", `${base}/tasks?limit=50&q=${encodeURIComponent("Question 99999")}`],
      [
        "search 'sunset harbour' + flag",
        `${base}/tasks?limit=50&q=${encodeURIComponent("sunset harbour")}&flag=failure`,
      ],
      ["latest (live polling)", `${base}/latest`],
      ["sessions page 1", `${base}/sessions`],
      ["overview, last 7 days", `${base}/overview?range=7d`],
      ["overview, all time", `${base}/overview`],
      ["users page 1", `${base}/users`],
    ];
    console.log(
      `\n${store.dialect}, ${count} tasks, ${runs} runs each, ANALYZE ${values.analyze ? "on" : "off"} (in-process app.inject):\n`,
    );
    console.log("| request | median ms | p95 ms | rows |");
    console.log("|---|---:|---:|---:|");
    for (const [name, path] of cases) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs + 2; i++) {
        const t0 = performance.now();
        const reply = await app.inject({ method: "GET", url: path, headers: { cookie } });
        const ms = performance.now() - t0;
        if (reply.statusCode !== 200) throw new Error(`${name}: ${reply.statusCode} ${reply.body}`);
        if (i >= 2) times.push(ms);
        const body = reply.json<{ tasks?: unknown[]; sessions?: unknown[]; users?: unknown[] }>();
        rows = (body.tasks ?? body.sessions ?? body.users ?? []).length;
      }
      times.sort((a, b) => a - b);
      console.log(
        `| ${name} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${rows} |`,
      );
    }
    await app.close();
  } finally {
    await store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

/**
 * Seeds `--n` realistic tasks straight into a SQLite store already migrated by the collector: sessions (1–9
 * tasks, about 5 on average; 10% of tasks without one), 5,000 users, 5 versions, 3 models, 2 environments,
 * metadata, tokens, latency, and feedback (about 12% flagged, with eval history; some notes and human evals),
 * spread over the last 90 days. Session rows and per-task positions are computed the way the collector computes
 * them; the aggregates are then recounted from the tasks by the caller (bench/suites/queries/index.ts, through
 * the collector's own `rebuildAggregates`).
 * For speed it loads like a bulk import: the store's secondary indexes on `tasks`, `sessions` and `evals` and its
 * search-log insert trigger (migration 013) are lifted during the insert (one B-tree write per row instead of
 * ten); then each index is created again from its exact SQL in `sqlite_master` (one sort each), the FTS5 index
 * is filled from `tasks` in one statement (with a 256 MiB term buffer instead of 1 MiB, which halves its CPU time
 * at 100,000 tasks; set back to the default after), the search log is left empty and the trigger is put back:
 * the result is the store the collector's triggers, indexer and indexes would have built, fully indexed with
 * nothing pending, in a fraction of the time.
 * Prints `{ ms, tasks, sessions, evals, phases }` (`phases`: ms per step).
 */
import { parseArgs } from "node:util";
import { answer, question, rng, TOPICS } from "../../lib/corpus-text.js";
import { openSqlite } from "../../lib/store.js";
import { TASK_COLUMNS, type TaskRecord } from "../../lib/rows.js";

const { values } = parseArgs({
  options: { db: { type: "string" }, n: { type: "string" }, project: { type: "string" } },
});
const n = Number(values.n);
const project = values.project ?? "bench_project";
const db = openSqlite(values.db ?? "");
// Seeding only: the data is rebuilt if the machine crashes, so skip the fsyncs the collector must do.
db.pragma("synchronous = OFF");
// … and the write-ahead log (the full-text rebuild alone would write gigabytes to it): a failed seed leaves a
// `.partial` file that is deleted. The rollback journal is kept in memory (OFF is refused in better-sqlite3's
// defensive mode); WAL is set back at the end.
db.pragma("journal_mode = MEMORY");
db.pragma("cache_size = -262144");

const MODELS = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4"];
const VERSIONS = ["v1", "v2", "v3", "v4", "v5"];
const DAY = 86_400_000;
const now = Date.now();
const r = rng(42);

const insertTask = db.prepare(
  `INSERT INTO tasks (${TASK_COLUMNS.join(", ")}) VALUES (${TASK_COLUMNS.map((c) => `@${c}`).join(", ")})`,
);
const insertSession =
  db.prepare(`INSERT INTO sessions (project_id, id, created_at, last_message_ts, session_length,
  first_task_id, last_task_id, preview, user_id, metadata, prompt_tokens, completion_tokens, total_tokens,
  success_count, failure_count, notes, first_received_at, last_received_at) VALUES (@project_id, @id, @created_at,
  @last_message_ts, @session_length, @first_task_id, @last_task_id, @preview, @user_id, @metadata, @prompt_tokens,
  @completion_tokens, @total_tokens, @success_count, @failure_count, NULL, @first_received_at, @last_received_at)`);
const insertEval =
  db.prepare(`INSERT INTO evals (project_id, task_id, kind, value, source, notes, created_at, applied)
  VALUES (?, ?, ?, ?, ?, ?, ?, 1)`);

let tasks = 0;
let sessions = 0;
let evals = 0;

/** One conversation (or one lone task when `sessionId` is null), inserted with its session row. */
function conversation(sessionId: string | null, length: number) {
  const user = `user_${Math.floor(r() * 5_000)}`;
  const version = VERSIONS[Math.floor(r() * VERSIONS.length)]!;
  const model = MODELS[Math.floor(r() * MODELS.length)]!;
  const environment = r() < 0.85 ? "production" : "staging";
  const plan = r() < 0.3 ? "pro" : "free";
  let t = now - Math.floor(r() * 90 * DAY);
  const rows: TaskRecord[] = [];
  for (let k = 0; k < length; k++) {
    const topic = TOPICS[Math.floor(r() * TOPICS.length)]!;
    const id = `task_${(tasks + k).toString(16).padStart(8, "0")}`;
    const prompt = 40 + Math.floor(r() * 400);
    const completion = 20 + Math.floor(r() * 300);
    const latency = 200 + Math.floor(r() * r() * 6_000);
    const roll = r();
    const flag = roll < 0.08 ? "success" : roll < 0.12 ? "failure" : null;
    const notes = flag === "failure" && r() < 0.3 ? "Answer missed the customer's actual question." : null;
    const human = flag && r() < 0.2 ? flag : null;
    const input = question(r, topic);
    const metadata = {
      user_id: user,
      version_id: version,
      model,
      environment,
      plan,
      topic,
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      latency_ms: latency,
    };
    const lastEval = flag
      ? JSON.stringify({
          kind: human ? "human_eval" : "flag",
          value: flag,
          source: human ? "owner" : "user",
          notes,
          created_at: t + 60_000,
        })
      : null;
    rows.push({
      project_id: project,
      id,
      session_id: sessionId,
      created_at: t,
      received_at: t + 150,
      updated_at: flag ? t + 60_000 : t + 150,
      last_update: t,
      input,
      output: answer(r, topic),
      raw_input: JSON.stringify({ model, messages: [{ role: "user", content: input }] }),
      raw_output: null,
      raw_input_type_name: "object",
      raw_output_type_name: "object",
      metadata: JSON.stringify(metadata),
      user_id: user,
      version_id: version,
      model,
      system_prompt: "You are the support assistant of Acme Cloud. Answer briefly and precisely.",
      environment,
      test_id: null,
      step_id: null,
      status: null,
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      latency_ms: latency,
      ttft_ms: Math.floor(latency / 4),
      flag,
      flag_source: flag ? (human ? "owner" : "user") : null,
      notes,
      human_eval: human,
      human_eval_at: human ? t + 60_000 : null,
      last_eval: lastEval,
      task_position: sessionId ? k + 1 : null,
      is_last_task: sessionId && k === length - 1 ? 1 : 0,
    });
    if (flag) {
      insertEval.run(project, id, "flag", flag, "user", human ? null : notes, t + 30_000);
      evals += 1;
      if (human) {
        insertEval.run(project, id, "human_eval", human, "owner", notes, t + 60_000);
        evals += 1;
      }
    }
    t += 20_000 + Math.floor(r() * 120_000);
  }
  for (const row of rows) insertTask.run(row);
  tasks += rows.length;
  if (!sessionId) return;
  const sum = (c: "prompt_tokens" | "completion_tokens" | "total_tokens") =>
    rows.reduce((a, row) => a + Number(row[c]), 0);
  const tokens = {
    prompt_tokens: sum("prompt_tokens"),
    completion_tokens: sum("completion_tokens"),
    total_tokens: sum("total_tokens"),
  };
  insertSession.run({
    project_id: project,
    id: sessionId,
    created_at: rows[0]!.created_at,
    last_message_ts: rows[rows.length - 1]!.created_at,
    session_length: rows.length,
    first_task_id: rows[0]!.id,
    last_task_id: rows[rows.length - 1]!.id,
    first_received_at: rows[0]!.received_at,
    last_received_at: rows[rows.length - 1]!.received_at,
    preview: String(rows[0]!.input).slice(0, 200),
    user_id: user,
    metadata: JSON.stringify(tokens),
    ...tokens,
    success_count: rows.filter((x) => x.flag === "success").length,
    failure_count: rows.filter((x) => x.flag === "failure").length,
  });
  sessions += 1;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
/** CPU time of this process: on a shared machine, wall time alone says little. */
const cpuMs = () => {
  const used = process.cpuUsage(cpu0);
  return Math.round((used.user + used.system) / 1000);
};
const phases: Record<string, number> = {};
let mark = t0;
const phase = (name: string) => {
  const at = performance.now();
  phases[name] = Math.round(at - mark);
  mark = at;
};
/** FTS5's default term buffer (bytes): a larger one during the rebuild means fewer segments to merge. */
const FTS_HASHSIZE_DEFAULT = 1_048_576;
const FTS_HASHSIZE_BULK = 268_435_456;
const deferred = db
  .prepare(
    `SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('tasks', 'sessions', 'evals') AND sql IS NOT NULL
     AND (type = 'index' OR (type = 'trigger' AND name = 'search_pending_insert'))`,
  )
  .all() as Array<{ type: "index" | "trigger"; name: string; sql: string }>;
for (const item of deferred) db.exec(`DROP ${item.type === "index" ? "INDEX" : "TRIGGER"} "${item.name}"`);
const chunk = db.transaction((target: number) => {
  while (tasks < target) {
    const lone = r() < 0.1;
    const length = lone ? 1 : Math.min(target - tasks, 1 + Math.floor(r() * 9));
    conversation(lone ? null : `session_${sessions.toString(16).padStart(7, "0")}`, length);
  }
});
for (let target = Math.min(n, 50_000); ; target = Math.min(n, target + 50_000)) {
  chunk(target);
  if (target >= n) break;
}
phase("insert");
for (const item of deferred) if (item.type === "index") db.exec(item.sql);
phase("indexes");
if (deferred.some((item) => item.type === "trigger")) {
  db.exec(`INSERT INTO tasks_fts(tasks_fts, rank) VALUES('hashsize', ${FTS_HASHSIZE_BULK})`);
  // The table is contentless (no 'rebuild'): the text is inserted once, as the indexer would, and nothing waits.
  db.exec("DELETE FROM tasks_fts");
  db.exec("INSERT INTO tasks_fts(rowid, input, output) SELECT rowid, input, output FROM tasks");
  db.exec("DELETE FROM search_pending");
  db.exec(`INSERT INTO tasks_fts(tasks_fts, rank) VALUES('hashsize', ${FTS_HASHSIZE_DEFAULT})`);
  for (const item of deferred) if (item.type === "trigger") db.exec(item.sql);
}
phase("full-text");
db.pragma("journal_mode = WAL");
db.close();
process.stdout.write(
  `${JSON.stringify({ ms: performance.now() - t0, cpuMs: cpuMs(), tasks, sessions, evals, phases })}\n`,
);

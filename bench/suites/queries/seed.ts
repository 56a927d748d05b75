/**
 * Seeds `--n` realistic tasks straight into a SQLite store already migrated by the collector: sessions (1–9
 * tasks, about 5 on average; 10% of tasks without one), 5,000 users, 5 versions, 3 models, 2 environments,
 * metadata, tokens, latency, and feedback (about 12% flagged, with eval history; some notes and human evals),
 * spread over the last 90 days. Session rows and per-task positions are computed the way the collector computes
 * them; the aggregates are then recounted from the tasks by the caller (bench/suites/queries/index.ts, through
 * the collector's own `rebuildAggregates`). For speed the full-text insert trigger is lifted during the bulk insert and the FTS5 index is rebuilt
 * from `tasks` afterwards (FTS5's own 'rebuild'), then the store's trigger is put back with its exact original
 * SQL: the result is the index the trigger would have built, in a third of the time.
 * Prints `{ ms, tasks, sessions, evals }`.
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
const trigger = db
  .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'tasks_fts_insert'")
  .get() as { sql: string } | undefined;
if (trigger) db.exec("DROP TRIGGER tasks_fts_insert");
const chunk = db.transaction((target: number) => {
  while (tasks < target) {
    const lone = r() < 0.1;
    const length = lone ? 1 : Math.min(target - tasks, 1 + Math.floor(r() * 9));
    conversation(lone ? null : `session_${sessions.toString(16).padStart(7, "0")}`, length);
  }
});
for (let target = Math.min(n, 20_000); ; target = Math.min(n, target + 20_000)) {
  chunk(target);
  if (target >= n) break;
}
if (trigger) {
  db.exec("INSERT INTO tasks_fts(tasks_fts) VALUES('rebuild')");
  db.exec(trigger.sql);
}
db.pragma("wal_checkpoint(TRUNCATE)");
db.close();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, tasks, sessions, evals })}\n`);

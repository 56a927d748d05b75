/**
 * The consistency check: recomputes every aggregate (hourly buckets, latency histograms, users, session totals)
 * from the tasks and lists every difference with what ingest kept. `phospho-server aggregates check` prints it;
 * the store contract tests run it after each ingest scenario.
 */
import { PostgresAdapter, sql, type Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { preview, PREVIEW_CHARS } from "../store/session-stats.js";
import { rollups, SUM_COLUMNS, zeroSums, type Sums } from "./contribution.js";
import { keyString } from "./keys.js";
import { parseHistogram } from "./sketch.js";
import { expectedAggregates, expectedSessionStarts } from "./rebuild.js";

export interface CheckReport {
  ok: boolean;
  /** Buckets, users and sessions compared. */
  compared: number;
  differences: string[];
}

/** Differences beyond this many are counted, not listed. */
const MAX_LISTED = 50;

/**
 * Runs the check on one snapshot (a read-only transaction; repeatable read on PostgreSQL), so that a write
 * committed between its reads of the tasks and of the aggregates (the background re-pricer, the search indexer's
 * queue turns delaying the caller) never shows as a difference.
 */
export async function checkAggregates(db: Kysely<Database>): Promise<CheckReport> {
  if (db.isTransaction) return checkIn(db);
  let transaction = db.transaction().setAccessMode("read only");
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    transaction = transaction.setIsolationLevel("repeatable read");
  }
  return transaction.execute((trx) => checkIn(trx));
}

async function checkIn(db: Kysely<Database>): Promise<CheckReport> {
  const differences: string[] = [];
  let compared = 0;
  const expected = await expectedAggregates(db);

  const label = (key: string) => key.split("\u0000").join(" | ");
  const wantedSums = { agg_hourly: new Map<string, Sums>(), agg_daily: new Map<string, Sums>() };
  const wantedLatency = {
    agg_latency: new Map<string, number>(),
    agg_latency_daily: new Map<string, number>(),
  };
  for (const [projectId, project] of expected.buckets) {
    const rows = rollups(project.values());
    for (const row of rows.hourly)
      wantedSums.agg_hourly.set(`${projectId}\u0000${keyString(row.key)}`, row.sums);
    for (const row of rows.daily)
      wantedSums.agg_daily.set(`${projectId}\u0000${keyString(row.key)}`, row.sums);
    for (const row of rows.latencyHourly) {
      wantedLatency.agg_latency.set(
        `${projectId}\u0000${row.hour}\u0000${row.version_id}\u0000${row.bucket}`,
        row.n,
      );
    }
    for (const row of rows.latencyDaily) {
      wantedLatency.agg_latency_daily.set(
        `${projectId}\u0000${row.hour}\u0000${row.version_id}\u0000${row.bucket}`,
        row.n,
      );
    }
  }
  for (const table of ["agg_hourly", "agg_daily"] as const) {
    const rows = await db
      .selectFrom(table)
      .select(["project_id", "hour", "model", "version_id", "environment", "flag"])
      .select(SUM_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)))
      .groupBy(["project_id", "hour", "model", "version_id", "environment", "flag"])
      .execute();
    const stored = new Map<string, Sums>();
    for (const row of rows) {
      const sums = zeroSums();
      for (const c of SUM_COLUMNS) sums[c] = Number(row[c]);
      stored.set(`${row.project_id}\u0000${keyString({ ...row, hour: Number(row.hour) })}`, sums);
    }
    compared += compareMaps(stored, wantedSums[table], zeroSums(), (key, have, want) => {
      for (const c of SUM_COLUMNS) {
        if (have[c] !== want[c])
          differences.push(`${table} ${label(key)}: ${c} is ${have[c]}, tasks say ${want[c]}`);
      }
    });
  }
  for (const table of ["agg_latency", "agg_latency_daily"] as const) {
    const stored = new Map<string, number>();
    const add = (
      row: { project_id: string; hour: number; version_id: string },
      bucket: number,
      n: number,
    ) => {
      const key = `${row.project_id}\u0000${Number(row.hour)}\u0000${row.version_id}\u0000${bucket}`;
      stored.set(key, (stored.get(key) ?? 0) + n);
    };
    if (table === "agg_latency") {
      const rows = await db
        .selectFrom("agg_latency")
        .select(["project_id", "hour", "version_id", "bucket", "n"])
        .execute();
      for (const row of rows) add(row, row.bucket, Number(row.n));
    } else {
      for (const row of await db.selectFrom("agg_latency_daily").selectAll().execute()) {
        for (const [bucket, n] of parseHistogram(row.histogram)) add(row, bucket, n);
      }
    }
    for (const [key, n] of stored) if (n === 0) stored.delete(key);
    compareMaps(stored, wantedLatency[table], 0, (key, have, want) => {
      if (have !== want) differences.push(`${table} ${label(key)}: ${have} tasks, tasks say ${want}`);
    });
  }

  const users = await db.selectFrom("agg_users").selectAll().execute();
  const storedUsers = new Map(users.map((row) => [`${row.project_id}\u0000${row.user_id}`, row]));
  const wantedUsers = new Map<string, Record<string, number>>();
  for (const [projectId, project] of expected.users) {
    for (const user of project.values()) {
      wantedUsers.set(`${projectId}\u0000${user.user_id}`, {
        tasks: user.tasks,
        success: user.success,
        failure: user.failure,
        total_tokens: user.total_tokens,
        cost_nano: user.cost_nano,
        first_seen: user.first,
        last_seen: user.last,
      });
    }
  }
  for (const key of new Set([...storedUsers.keys(), ...wantedUsers.keys()])) {
    compared += 1;
    const have = storedUsers.get(key);
    const want = wantedUsers.get(key);
    if (!have || !want) {
      differences.push(`user ${label(key)}: ${have ? "kept but has no task" : "has tasks but no row"}`);
      continue;
    }
    for (const [column, value] of Object.entries(want)) {
      const kept = Number(have[column as keyof typeof have]);
      if (kept !== value) differences.push(`user ${label(key)}: ${column} is ${kept}, tasks say ${value}`);
    }
  }

  compared += await checkSessions(db, differences);
  const wantedStarts = await expectedSessionStarts(db);
  const startRows = await db
    .selectFrom("agg_session_starts")
    .select(["project_id", "hour", sql<number>`sum(sessions)`.as("n")])
    .groupBy(["project_id", "hour"])
    .execute();
  const storedStarts = new Map(
    startRows.map((row) => [`${row.project_id}\u0000${Number(row.hour)}`, Number(row.n)]),
  );
  for (const key of new Set([...storedStarts.keys(), ...wantedStarts.keys()])) {
    const have = storedStarts.get(key) ?? 0;
    const want = wantedStarts.get(key) ?? 0;
    if (have !== want) differences.push(`sessions started ${label(key)}: ${have}, sessions say ${want}`);
  }
  const listed = differences.slice(0, MAX_LISTED);
  if (differences.length > MAX_LISTED) listed.push(`… and ${differences.length - MAX_LISTED} more`);
  return { ok: differences.length === 0, compared, differences: listed };
}

/**
 * Calls `visit` once for every key of either map, with `none` standing for a missing value; returns how many keys
 * there were. Walks each map once instead of building the union of their keys (at 1,000,000 tasks the latency
 * maps hold several hundred thousand keys each).
 */
function compareMaps<V>(
  stored: Map<string, V>,
  wanted: Map<string, V>,
  none: V,
  visit: (key: string, have: V, want: V) => void,
): number {
  let count = 0;
  for (const [key, have] of stored) {
    count += 1;
    visit(key, have, wanted.get(key) ?? none);
  }
  for (const [key, want] of wanted) {
    if (stored.has(key)) continue;
    count += 1;
    visit(key, none, want);
  }
  return count;
}

/** Session totals against their tasks, walked in conversation order through the session index. */
async function checkSessions(db: Kysely<Database>, differences: string[]): Promise<number> {
  const sessions = await db.selectFrom("sessions").selectAll().execute();
  const kept = new Map(sessions.map((row) => [`${row.project_id}\u0000${row.id}`, row]));
  const seen = new Set<string>();
  let after: [string, string, number, number, string] | null = null;
  const state: { current: { key: string; values: Record<string, unknown> } | null } = { current: null };
  const finish = () => {
    const current = state.current;
    if (!current) return;
    seen.add(current.key);
    const row = kept.get(current.key);
    if (!row) {
      differences.push(`session ${current.key.replace("\u0000", " | ")}: has tasks but no row`);
      return;
    }
    for (const [column, value] of Object.entries(current.values)) {
      const have = row[column as keyof typeof row];
      const same = typeof value === "number" ? Number(have) === value : have === value;
      if (!same) {
        differences.push(
          `session ${current.key.replace("\u0000", " | ")}: ${column} is ${String(have)}, tasks say ${String(value)}`,
        );
      }
    }
  };
  for (;;) {
    let query = db
      .selectFrom("tasks")
      .select([
        "project_id",
        "session_id",
        "id",
        "created_at",
        "received_at",
        "user_id",
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "flag",
        "cost_usd",
        sql<string>`substr(input, 1, ${sql.lit(PREVIEW_CHARS)})`.as("input"),
      ])
      .where("session_id", "is not", null);
    if (after) {
      const tuple = after;
      query = query.where((eb) =>
        eb(
          eb.refTuple("project_id", "session_id", "created_at", "received_at", "id"),
          ">",
          eb.tuple(...tuple),
        ),
      );
    }
    const rows = await query
      .orderBy("project_id")
      .orderBy("session_id")
      .orderBy("created_at")
      .orderBy("received_at")
      .orderBy("id")
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    for (const task of rows) {
      const key = `${task.project_id}\u0000${task.session_id}`;
      if (state.current?.key !== key) {
        finish();
        state.current = {
          key,
          values: {
            session_length: 0,
            created_at: Number(task.created_at),
            first_task_id: task.id,
            first_received_at: Number(task.received_at),
            preview: preview(task.input),
            user_id: null,
            prompt_tokens: 0,
            completion_tokens: 0,
            total_tokens: 0,
            success_count: 0,
            failure_count: 0,
            cost_nano: 0,
          },
        };
      }
      const v = state.current.values as Record<string, number | string | null>;
      v.session_length = Number(v.session_length) + 1;
      v.prompt_tokens = Number(v.prompt_tokens) + Number(task.prompt_tokens ?? 0);
      v.completion_tokens = Number(v.completion_tokens) + Number(task.completion_tokens ?? 0);
      v.total_tokens = Number(v.total_tokens) + Number(task.total_tokens ?? 0);
      v.success_count = Number(v.success_count) + (task.flag === "success" ? 1 : 0);
      v.failure_count = Number(v.failure_count) + (task.flag === "failure" ? 1 : 0);
      v.cost_nano = Number(v.cost_nano) + (task.cost_usd === null ? 0 : Math.round(task.cost_usd * 1e9));
      if (v.user_id === null && task.user_id !== null) v.user_id = task.user_id;
      v.last_task_id = task.id;
      v.last_message_ts = Number(task.created_at);
      v.last_received_at = Number(task.received_at);
    }
    const last = rows.at(-1)!;
    after = [last.project_id, last.session_id!, Number(last.created_at), Number(last.received_at), last.id];
  }
  finish();
  for (const key of kept.keys()) {
    if (!seen.has(key)) differences.push(`session ${key.replace("\u0000", " | ")}: kept but has no task`);
  }
  return kept.size;
}

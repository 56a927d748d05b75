/**
 * Applying a batch's net change to the aggregate tables, inside the ingest (or feedback) transaction, so that
 * the aggregates commit or roll back with the tasks. Every statement adds deltas (`x = x + excluded.x`), in
 * key order; each writer adds to its own shard of a bucket, so two replicas on PostgreSQL never wait on one row.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { chunks } from "../store/chunks.js";
import type { Database } from "../store/schema.js";
import type { Dialect } from "../store/types.js";
import {
  bucketDeltas,
  rollups,
  SUM_COLUMNS,
  userDeltas,
  type LatencyRow,
  type Rollups,
  type TaskChange,
} from "./contribution.js";
import { histogramText, parseHistogram } from "./sketch.js";
import { hourOf } from "./keys.js";
import { upsertUsers, userRow } from "./user-upsert.js";

/** 22 columns a row: far below SQLite's bound-variable limit. */
const ROWS_PER_STATEMENT = 200;

const KEY_COLUMNS = ["project_id", "hour", "model", "version_id", "environment", "flag", "shard"] as const;

export async function applyAggregateChanges(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  changes: TaskChange[],
  shard: number,
): Promise<void> {
  await writeRollups(trx, projectId, rollups(bucketDeltas(changes)), shard, "add", dialect === "postgres");
  await applyUserChanges(trx, dialect, projectId, changes);
}

/** Writes every table's rows: `add` adds them to what is kept (ingest), `insert` writes them fresh (rebuild). */
export async function writeRollups(
  trx: Kysely<Database>,
  projectId: string,
  rows: Rollups,
  shard: number,
  mode: "add" | "insert",
  /** PostgreSQL: lock the daily histogram rows read and rewritten (another replica may share the shard). */
  lock = false,
): Promise<void> {
  for (const [table, list] of [
    ["agg_hourly", rows.hourly],
    ["agg_daily", rows.daily],
  ] as const) {
    for (const part of chunks(list, ROWS_PER_STATEMENT)) {
      const insert = trx
        .insertInto(table)
        .values(part.map((row) => ({ project_id: projectId, ...row.key, shard, ...row.sums })));
      await (
        mode === "insert"
          ? insert
          : insert.onConflict((conflict) =>
              conflict
                .columns([...KEY_COLUMNS])
                .doUpdateSet(
                  Object.fromEntries(
                    SUM_COLUMNS.map((column) => [
                      column,
                      sql`${sql.ref(`${table}.${column}`)} + excluded.${sql.ref(column)}`,
                    ]),
                  ),
                ),
            )
      ).execute();
    }
  }
  for (const part of chunks(rows.latencyHourly, ROWS_PER_STATEMENT)) {
    const insert = trx
      .insertInto("agg_latency")
      .values(part.map((row) => ({ project_id: projectId, shard, ...row })));
    await (
      mode === "insert"
        ? insert
        : insert.onConflict((conflict) =>
            conflict
              .columns(["project_id", "hour", "version_id", "shard", "bucket"])
              .doUpdateSet({ n: sql`agg_latency.n + excluded.n` }),
          )
    ).execute();
  }
  await writeDailyHistograms(trx, projectId, rows.latencyDaily, shard, mode, lock);
}

/**
 * The daily histograms, one JSON row per (day, version, shard): ensure the row, lock it (PostgreSQL), merge the
 * deltas in TypeScript, write it back. Few rows a batch (the days and versions it touches).
 */
async function writeDailyHistograms(
  trx: Kysely<Database>,
  projectId: string,
  rows: LatencyRow[],
  shard: number,
  mode: "add" | "insert",
  lock: boolean,
): Promise<void> {
  const histograms = new Map<string, { hour: number; version_id: string; buckets: Map<number, number> }>();
  for (const row of rows) {
    const id = `${row.hour}\u0000${row.version_id}`;
    let found = histograms.get(id);
    if (!found)
      histograms.set(id, (found = { hour: row.hour, version_id: row.version_id, buckets: new Map() }));
    found.buckets.set(row.bucket, (found.buckets.get(row.bucket) ?? 0) + row.n);
  }
  for (const { hour, version_id, buckets } of histograms.values()) {
    const key = { project_id: projectId, hour, version_id, shard };
    if (mode === "insert") {
      await trx
        .insertInto("agg_latency_daily")
        .values({ ...key, histogram: histogramText(buckets) })
        .execute();
      continue;
    }
    await trx
      .insertInto("agg_latency_daily")
      .values({ ...key, histogram: "{}" })
      .onConflict((conflict) => conflict.columns(["project_id", "hour", "version_id", "shard"]).doNothing())
      .execute();
    const where = trx
      .selectFrom("agg_latency_daily")
      .select("histogram")
      .where("project_id", "=", projectId)
      .where("hour", "=", hour)
      .where("version_id", "=", version_id)
      .where("shard", "=", shard);
    const kept = await (lock ? where.forUpdate() : where).executeTakeFirstOrThrow();
    for (const [bucket, n] of parseHistogram(kept.histogram)) {
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + n);
    }
    await trx
      .updateTable("agg_latency_daily")
      .set({ histogram: histogramText(buckets) })
      .where("project_id", "=", projectId)
      .where("hour", "=", hour)
      .where("version_id", "=", version_id)
      .where("shard", "=", shard)
      .execute();
  }
}

async function applyUserChanges(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  changes: TaskChange[],
): Promise<void> {
  const users = userDeltas(changes);
  for (const part of chunks(users, ROWS_PER_STATEMENT)) {
    await upsertUsers(
      trx,
      dialect,
      projectId,
      // A user only removed from gets bounds that lose to any stored ones, then is rechecked below.
      part.map((user) =>
        user.first <= user.last
          ? userRow(user, user.first, user.last)
          : userRow(user, Number.MAX_SAFE_INTEGER, 0),
      ),
    );
  }
  const recheck = users.filter((user) => user.recheck).map((user) => user.user_id);
  for (const part of chunks(recheck)) {
    // First and last seen of a user who lost a task, read from the user's index: O(log n) each.
    await trx
      .updateTable("agg_users")
      .set({
        first_seen: sql`coalesce((SELECT min(t.created_at) FROM tasks t WHERE t.project_id = agg_users.project_id AND t.user_id = agg_users.user_id), 0)`,
        last_seen: sql`coalesce((SELECT max(t.created_at) FROM tasks t WHERE t.project_id = agg_users.project_id AND t.user_id = agg_users.user_id), 0)`,
      })
      .where("project_id", "=", projectId)
      .where("user_id", "in", part)
      .execute();
    await trx
      .deleteFrom("agg_users")
      .where("project_id", "=", projectId)
      .where("user_id", "in", part)
      .where("tasks", "<=", 0)
      .execute();
  }
}

/** Sessions started per hour: +1 at a session's new start hour, −1 at its old one (a new, moved or emptied session). */
export async function applySessionStartChanges(
  trx: Transaction<Database>,
  projectId: string,
  moves: Array<{ from: number | null; to: number | null }>,
  shard: number,
): Promise<void> {
  const deltas = new Map<number, number>();
  for (const { from, to } of moves) {
    if (from !== null) deltas.set(hourOf(from), (deltas.get(hourOf(from)) ?? 0) - 1);
    if (to !== null) deltas.set(hourOf(to), (deltas.get(hourOf(to)) ?? 0) + 1);
  }
  const rows = [...deltas]
    .filter(([, n]) => n !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([hour, sessions]) => ({ project_id: projectId, hour, shard, sessions }));
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    await trx
      .insertInto("agg_session_starts")
      .values(part)
      .onConflict((conflict) =>
        conflict
          .columns(["project_id", "hour", "shard"])
          .doUpdateSet({ sessions: sql`agg_session_starts.sessions + excluded.sessions` }),
      )
      .execute();
  }
}

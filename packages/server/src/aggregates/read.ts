/**
 * The read side: sums and latency histograms over a time range and the dimensions buckets carry. Whole hours come
 * from the buckets (summed over shards, grouped by day, model and version in SQL); the partial hours at the
 * range's edges (at most an hour each) come from the tasks through the time index, folded in with the same
 * contribution code as ingest, so the answer is exact for any range.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { TaskRow } from "../store/types.js";
import { addTask, SUM_COLUMNS, zeroSums, type BucketDelta, type Sums } from "./contribution.js";
import { decodeDimension, encodeDimension, HOUR_MS } from "./keys.js";
import { CONTRIBUTION_COLUMNS } from "./scan.js";

export const DAY_MS = 24 * HOUR_MS;

/** What buckets can filter on. Times are inclusive ms bounds on `created_at`. */
export interface BucketFilters {
  from?: number | undefined;
  to?: number | undefined;
  model?: string | undefined;
  versionIds?: string[] | undefined;
  environment?: string | undefined;
  flag?: "success" | "failure" | "none" | undefined;
}

export interface AggregateGroup {
  /** UTC day number (ms / 86,400,000). */
  day: number;
  model: string | null;
  version_id: string | null;
  sums: Sums;
}

export interface AggregateRead {
  groups: AggregateGroup[];
  /** Latency histogram per version. */
  latency: Map<string | null, Map<number, number>>;
  /** Tasks read from the table for the partial hours at the edges. */
  edgeTasks: number;
}

/** Whole hours inside [from, to] (as [start, end) in ms), and the partial ranges left at each side. */
export function splitRange(from: number | undefined, to: number | undefined) {
  const start = from === undefined ? undefined : Math.ceil(from / HOUR_MS) * HOUR_MS;
  const end = to === undefined ? undefined : Math.floor((to + 1) / HOUR_MS) * HOUR_MS;
  if (start !== undefined && end !== undefined && end <= start) {
    return { whole: null, edges: [[from!, to!] as [number, number]] };
  }
  const edges: Array<[number, number]> = [];
  if (from !== undefined && start! > from) edges.push([from, start! - 1]);
  if (to !== undefined && end! <= to) edges.push([end!, to]);
  return { whole: { start, end }, edges };
}

export async function readAggregates(
  db: Kysely<Database>,
  projectId: string,
  filters: BucketFilters,
): Promise<AggregateRead> {
  const { whole, edges } = splitRange(filters.from, filters.to);
  const groups = new Map<string, AggregateGroup>();
  const latency = new Map<string | null, Map<number, number>>();
  const group = (day: number, model: string | null, version: string | null) => {
    const key = `${day}\u0000${model === null ? "" : `=${model}`}\u0000${version === null ? "" : `=${version}`}`;
    let found = groups.get(key);
    if (!found) groups.set(key, (found = { day, model, version_id: version, sums: zeroSums() }));
    return found;
  };
  const histogram = (version: string | null) => {
    let found = latency.get(version);
    if (!found) latency.set(version, (found = new Map()));
    return found;
  };
  if (whole) {
    const [rows, latencyRows] = await Promise.all([
      bucketQuery(db, "agg_hourly", projectId, filters, whole)
        .select([sql<number>`hour / ${sql.lit(DAY_MS)}`.as("day"), "model", "version_id"])
        .select(SUM_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)))
        .groupBy([sql`hour / ${sql.lit(DAY_MS)}`, "model", "version_id"])
        .execute(),
      bucketQuery(db, "agg_latency", projectId, filters, whole)
        .select(["version_id", sql<number>`bucket`.as("bucket"), sql<number>`sum(n)`.as("n")])
        .groupBy(["version_id", sql`bucket`])
        .execute(),
    ]);
    for (const row of rows) {
      const target = group(Number(row.day), decodeDimension(row.model), decodeDimension(row.version_id));
      for (const c of SUM_COLUMNS) target.sums[c] += Number(row[c]);
    }
    for (const row of latencyRows) {
      const target = histogram(decodeDimension(row.version_id));
      target.set(row.bucket, (target.get(row.bucket) ?? 0) + Number(row.n));
    }
  }
  let edgeTasks = 0;
  for (const [from, to] of edges) {
    const tasks = await edgeQuery(db, projectId, filters, from, to);
    edgeTasks += tasks.length;
    const deltas = new Map<string, BucketDelta>();
    for (const task of tasks) addTask(deltas, task as TaskRow, 1);
    for (const delta of deltas.values()) {
      const version = decodeDimension(delta.key.version_id);
      const target = group(Math.floor(delta.key.hour / DAY_MS), decodeDimension(delta.key.model), version);
      for (const c of SUM_COLUMNS) target.sums[c] += delta.sums[c];
      const hist = histogram(version);
      for (const [bucket, n] of delta.latency) hist.set(bucket, (hist.get(bucket) ?? 0) + n);
    }
  }
  return { groups: [...groups.values()].filter((g) => g.sums.tasks !== 0), latency, edgeTasks };
}

function bucketQuery<T extends "agg_hourly" | "agg_latency">(
  db: Kysely<Database>,
  table: T,
  projectId: string,
  f: BucketFilters,
  whole: { start: number | undefined; end: number | undefined },
) {
  // One query builder for both tables: they share every column filtered here.
  let query = db.selectFrom(table as "agg_hourly").where("project_id", "=", projectId);
  if (whole.start !== undefined) query = query.where("hour", ">=", whole.start);
  if (whole.end !== undefined) query = query.where("hour", "<", whole.end);
  if (f.model !== undefined) query = query.where("model", "=", encodeDimension(f.model));
  if (f.versionIds !== undefined) query = query.where("version_id", "in", f.versionIds.map(encodeDimension));
  if (f.environment !== undefined) query = query.where("environment", "=", f.environment);
  if (f.flag !== undefined) query = query.where("flag", "=", f.flag === "none" ? "" : f.flag);
  return query;
}

function edgeQuery(db: Kysely<Database>, projectId: string, f: BucketFilters, from: number, to: number) {
  let query = db
    .selectFrom("tasks")
    .select([...CONTRIBUTION_COLUMNS])
    .where("project_id", "=", projectId)
    .where("created_at", ">=", from)
    .where("created_at", "<=", to);
  if (f.model !== undefined) query = query.where("model", "=", f.model);
  if (f.versionIds !== undefined) query = query.where("version_id", "in", f.versionIds);
  if (f.environment !== undefined) query = query.where("environment", "=", f.environment);
  if (f.flag === "none") query = query.where("flag", "is", null);
  else if (f.flag !== undefined) query = query.where("flag", "=", f.flag);
  return query.execute();
}

/** Sessions started in [from, to] per UTC day: whole hours from the buckets, the edges from the sessions index. */
export async function sessionStartsByDay(
  db: Kysely<Database>,
  projectId: string,
  from: number | undefined,
  to: number | undefined,
): Promise<Map<number, number>> {
  const { whole, edges } = splitRange(from, to);
  const days = new Map<number, number>();
  const add = (day: number, n: number) => days.set(day, (days.get(day) ?? 0) + n);
  if (whole) {
    let query = db
      .selectFrom("agg_session_starts")
      .select([sql<number>`hour / ${sql.lit(DAY_MS)}`.as("day"), sql<number>`sum(sessions)`.as("n")])
      .where("project_id", "=", projectId);
    if (whole.start !== undefined) query = query.where("hour", ">=", whole.start);
    if (whole.end !== undefined) query = query.where("hour", "<", whole.end);
    for (const row of await query.groupBy(sql`hour / ${sql.lit(DAY_MS)}`).execute()) {
      add(Number(row.day), Number(row.n));
    }
  }
  for (const [edgeFrom, edgeTo] of edges) {
    const rows = await db
      .selectFrom("sessions")
      .select("created_at")
      .where("project_id", "=", projectId)
      .where("created_at", ">=", edgeFrom)
      .where("created_at", "<=", edgeTo)
      .execute();
    for (const row of rows) add(Math.floor(Number(row.created_at) / DAY_MS), 1);
  }
  for (const [day, n] of days) if (n === 0) days.delete(day);
  return days;
}

/** Users with a task in [from, to] when unbounded; with bounds, users whose first..last task spans overlap it. */
export async function countUsers(
  db: Kysely<Database>,
  projectId: string,
  from: number | undefined,
  to: number | undefined,
): Promise<number> {
  let query = db
    .selectFrom("agg_users")
    .select(sql<number>`count(*)`.as("n"))
    .where("project_id", "=", projectId);
  if (from !== undefined) query = query.where("last_seen", ">=", from);
  if (to !== undefined) query = query.where("first_seen", "<=", to);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

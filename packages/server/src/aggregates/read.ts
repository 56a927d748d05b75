/**
 * The read side: sums and latency histograms over a time range and the dimensions buckets carry, per chart bucket
 * (`buckets.ts`: hours, UTC days or a zone's days). For UTC days, whole UTC days
 * come from the daily rollups, whole hours outside them from the hourly buckets (both summed over shards and
 * grouped by day, model and version in SQL), and the partial hours at the range's ends (at most an hour each)
 * from the tasks through the time index, folded in with the same contribution code as ingest: the answer is
 * exact for any range, and all time reads one row per day and group.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { TaskRow } from "../store/types.js";
import { UTC_DAY_BUCKETS, type Buckets } from "./buckets.js";
import { addTask, SUM_COLUMNS, zeroSums, type BucketDelta, type Sums } from "./contribution.js";
import { DAY_MS, decodeDimension, encodeDimension, HOUR_MS } from "./keys.js";
import { CONTRIBUTION_COLUMNS } from "./scan.js";
import { addHistogramText } from "./sketch.js";

export { DAY_MS };

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
  /** Bucket number (`Buckets.of`): UTC days by default, hours, or the days of a time zone. */
  day: number;
  model: string | null;
  version_id: string | null;
  sums: Sums;
}

export interface AggregateRead {
  groups: AggregateGroup[];
  /** Latency histogram per version; empty when `sketchServes` is false for the filters. */
  latency: Map<string | null, Map<number, number>>;
  /** Tasks read from the table for the partial hours at the edges. */
  edgeTasks: number;
}

interface TimeRange {
  start: number | undefined;
  end: number | undefined;
}

/** Whole units of `unit` ms inside [from, to] (as [start, end)), and the partial ranges left at each side. */
export function splitRange(from: number | undefined, to: number | undefined, unit = HOUR_MS) {
  const start = from === undefined ? undefined : Math.ceil(from / unit) * unit;
  const end = to === undefined ? undefined : Math.floor((to + 1) / unit) * unit;
  if (start !== undefined && end !== undefined && end <= start) {
    return { whole: null, edges: [[from!, to!] as [number, number]] };
  }
  const edges: Array<[number, number]> = [];
  if (from !== undefined && start! > from) edges.push([from, start! - 1]);
  if (to !== undefined && end! <= to) edges.push([end!, to]);
  return { whole: { start, end } as TimeRange, edges };
}

/**
 * The parts of [from, to]: whole UTC days, whole hours beside them, and the partial hours left at the ends. With
 * `hoursOnly` (hour buckets, which a chart in the reader's time zone sums into its own days) no day is read from
 * the daily rollups.
 */
export function planRange(from: number | undefined, to: number | undefined, hoursOnly = false) {
  if (hoursOnly) {
    const { whole, edges } = splitRange(from, to);
    return { days: null, hours: whole ? [whole] : [], edges };
  }
  const byDay = splitRange(from, to, DAY_MS);
  const hours: TimeRange[] = [];
  const edges: Array<[number, number]> = [];
  for (const [a, b] of byDay.edges) {
    const part = splitRange(a, b);
    if (part.whole) hours.push(part.whole);
    edges.push(...part.edges);
  }
  return { days: byDay.whole, hours, edges };
}

/** Whether the latency histograms (kept by version only) can answer under these filters. */
export function sketchServes(filters: BucketFilters): boolean {
  return filters.model === undefined && filters.environment === undefined && filters.flag === undefined;
}

export async function readAggregates(
  db: Kysely<Database>,
  projectId: string,
  filters: BucketFilters,
  buckets: Buckets = UTC_DAY_BUCKETS,
): Promise<AggregateRead> {
  // The daily rollups hold UTC days: hours and a zone's days are summed from the hourly buckets.
  const plan = planRange(filters.from, filters.to, !buckets.utcDays);
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
  const withLatency = sketchServes(filters);
  const parts: Array<["agg_daily" | "agg_hourly", TimeRange]> = [];
  if (plan.days) parts.push(["agg_daily", plan.days]);
  for (const hours of plan.hours) parts.push(["agg_hourly", hours]);
  await Promise.all(
    parts.map(async ([sumsTable, range]) => {
      const [rows, latencyRows, dailyHistograms] = await Promise.all([
        sumsQuery(db, sumsTable, projectId, filters, range),
        withLatency && sumsTable === "agg_hourly"
          ? latencyQuery(db, projectId, filters, range)
          : Promise.resolve([]),
        withLatency && sumsTable === "agg_daily"
          ? dailyLatencyQuery(db, projectId, filters, range)
          : Promise.resolve([]),
      ]);
      for (const row of rows) {
        const target = group(
          buckets.of(Number(row.hour)),
          decodeDimension(row.model),
          decodeDimension(row.version_id),
        );
        for (const c of SUM_COLUMNS) target.sums[c] += Number(row[c]);
      }
      for (const row of latencyRows) {
        const target = histogram(decodeDimension(row.version_id));
        target.set(Number(row.bucket), (target.get(Number(row.bucket)) ?? 0) + Number(row.n));
      }
      for (const row of dailyHistograms) {
        addHistogramText(histogram(decodeDimension(row.version_id)), row.histogram);
      }
    }),
  );
  let edgeTasks = 0;
  for (const [from, to] of plan.edges) {
    const tasks = await edgeQuery(db, projectId, filters, from, to);
    edgeTasks += tasks.length;
    const deltas = new Map<string, BucketDelta>();
    for (const task of tasks) addTask(deltas, task as TaskRow, 1);
    for (const delta of deltas.values()) {
      const version = decodeDimension(delta.key.version_id);
      const target = group(buckets.of(delta.key.hour), decodeDimension(delta.key.model), version);
      for (const c of SUM_COLUMNS) target.sums[c] += delta.sums[c];
      const hist = histogram(version);
      for (const [bucket, n] of delta.latency) hist.set(bucket, (hist.get(bucket) ?? 0) + n);
    }
  }
  return { groups: [...groups.values()].filter((g) => g.sums.tasks !== 0), latency, edgeTasks };
}

function sumsQuery(
  db: Kysely<Database>,
  table: "agg_daily" | "agg_hourly",
  projectId: string,
  f: BucketFilters,
  range: TimeRange,
) {
  let query = db.selectFrom(table).where("project_id", "=", projectId);
  if (range.start !== undefined) query = query.where("hour", ">=", range.start);
  if (range.end !== undefined) query = query.where("hour", "<", range.end);
  if (f.model !== undefined) query = query.where("model", "=", encodeDimension(f.model));
  if (f.versionIds !== undefined) query = query.where("version_id", "in", f.versionIds.map(encodeDimension));
  if (f.environment !== undefined) query = query.where("environment", "=", f.environment);
  if (f.flag !== undefined) query = query.where("flag", "=", f.flag === "none" ? "" : f.flag);
  // Grouped on the stored hour, a prefix of the primary key, so SQLite reads the groups in index order instead of
  // sorting them (a quarter less time for all time at 1,000,000 tasks); the caller folds hours into its buckets.
  return query
    .select(["hour", "model", "version_id"])
    .select(SUM_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)))
    .groupBy(["hour", "model", "version_id"])
    .execute();
}

/** The daily histograms in range (one JSON row per day, version and shard), merged per version by the caller. */
function dailyLatencyQuery(db: Kysely<Database>, projectId: string, f: BucketFilters, range: TimeRange) {
  let query = db
    .selectFrom("agg_latency_daily")
    .select(["version_id", "histogram"])
    .where("project_id", "=", projectId);
  if (range.start !== undefined) query = query.where("hour", ">=", range.start);
  if (range.end !== undefined) query = query.where("hour", "<", range.end);
  if (f.versionIds !== undefined) query = query.where("version_id", "in", f.versionIds.map(encodeDimension));
  return query.execute();
}

function latencyQuery(db: Kysely<Database>, projectId: string, f: BucketFilters, range: TimeRange) {
  let query = db.selectFrom("agg_latency").where("project_id", "=", projectId);
  if (range.start !== undefined) query = query.where("hour", ">=", range.start);
  if (range.end !== undefined) query = query.where("hour", "<", range.end);
  if (f.versionIds !== undefined) query = query.where("version_id", "in", f.versionIds.map(encodeDimension));
  return query
    .select(["version_id", "bucket", sql<number>`sum(n)`.as("n")])
    .groupBy(["version_id", "bucket"])
    .execute();
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

/**
 * Sessions started in [from, to] per bucket (UTC days by default, hours, or a zone's days): whole hours from the
 * buckets, the edges from the sessions index.
 */
export async function sessionStartsByDay(
  db: Kysely<Database>,
  projectId: string,
  from: number | undefined,
  to: number | undefined,
  buckets: Buckets = UTC_DAY_BUCKETS,
): Promise<Map<number, number>> {
  const { whole, edges } = splitRange(from, to);
  const days = new Map<number, number>();
  const add = (day: number, n: number) => days.set(day, (days.get(day) ?? 0) + n);
  if (whole) {
    let query = db
      .selectFrom("agg_session_starts")
      .select([buckets.expression("hour").as("day"), sql<number>`sum(sessions)`.as("n")])
      .where("project_id", "=", projectId);
    if (whole.start !== undefined) query = query.where("hour", ">=", whole.start);
    if (whole.end !== undefined) query = query.where("hour", "<", whole.end);
    for (const row of await query.groupBy(buckets.expression("hour")).execute()) {
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
    for (const row of rows) add(buckets.of(Number(row.created_at)), 1);
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

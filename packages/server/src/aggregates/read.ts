/**
 * The read side: sums and latency histograms over a time range and the dimensions buckets carry, per chart bucket
 * (`buckets.ts`: hours, UTC days or a zone's days). For UTC days, whole UTC days
 * come from the daily rollups, whole hours outside them from the hourly buckets (both summed over shards and
 * grouped by day, model and version in SQL), and the partial hours at the range's ends (at most an hour each)
 * from the tasks through the time index (or, past half an hour, the hour's bucket less the tasks of the rest of the
 * hour), folded in with the same contribution code as ingest: the answer is exact for any range, and all time reads
 * one row per day and group.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { TaskRow } from "../store/types.js";
import { UTC_DAY_BUCKETS, type Buckets } from "./buckets.js";
import {
  addSums,
  addTask,
  SUM_COLUMNS,
  zeroSums,
  type BucketDelta,
  type SumColumn,
  type Sums,
} from "./contribution.js";
import { addHistogramText } from "./sketch.js";
import { DAY_MS, decodeDimension, encodeDimension, HOUR_MS } from "./keys.js";
import { CONTRIBUTION_COLUMNS } from "./scan.js";

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

/** The sums a read groups by: the chart's buckets, the model, the version. */
export type Grouping = "day" | "model" | "version";

export interface AggregateRead {
  /** Sums per chart bucket (`Buckets.of`: UTC days by default, hours, or a zone's days), when asked for. */
  byDay: Map<number, Sums>;
  byModel: Map<string | null, Sums>;
  byVersion: Map<string | null, Sums>;
  /** Sums over everything read. */
  totals: Sums;
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

/** The running sums under `key`, created at zero. */
function sumsAt<K>(map: Map<K, Sums>, key: K): Sums {
  let sums = map.get(key);
  if (!sums) map.set(key, (sums = zeroSums()));
  return sums;
}

function dropEmpty<K>(map: Map<K, Sums>): Map<K, Sums> {
  for (const [key, sums] of map) if (sums.tasks === 0) map.delete(key);
  return map;
}

/**
 * Sums grouped by each of `groupings` (summed in SQL: a read returns one row per day, model or version rather
 * than one per day × model × version) with their totals, and the latency histograms per version.
 */
export async function readAggregates(
  db: Kysely<Database>,
  projectId: string,
  filters: BucketFilters,
  buckets: Buckets = UTC_DAY_BUCKETS,
  groupings: readonly Grouping[] = ["day", "model", "version"],
): Promise<AggregateRead> {
  // The daily rollups hold UTC days: hours and a zone's days are summed from the hourly buckets.
  const plan = planRange(filters.from, filters.to, !buckets.utcDays);
  const read: AggregateRead = {
    byDay: new Map(),
    byModel: new Map(),
    byVersion: new Map(),
    totals: zeroSums(),
    latency: new Map(),
    edgeTasks: 0,
  };
  const histogram = (version: string | null) => {
    let found = read.latency.get(version);
    if (!found) read.latency.set(version, (found = new Map()));
    return found;
  };
  const add = (hist: Map<number, number>, bucket: number, n: number) =>
    hist.set(bucket, (hist.get(bucket) ?? 0) + n);
  const withLatency = sketchServes(filters);
  const parts: Array<["agg_daily" | "agg_hourly", TimeRange]> = [];
  if (plan.days) parts.push(["agg_daily", plan.days]);
  for (const hours of plan.hours) parts.push(["agg_hourly", hours]);
  // A partial hour covering more than half of its hour is read as the whole hour's bucket less the tasks of the
  // rest of the hour: at most half an hour of tasks is read from the table, whichever minute the range starts at.
  const edges: Array<[from: number, to: number, sign: 1 | -1]> = [];
  for (const [from, to] of plan.edges) {
    const start = Math.floor(from / HOUR_MS) * HOUR_MS;
    const end = start + HOUR_MS;
    if (to < end && to - from + 1 > HOUR_MS / 2) {
      parts.push(["agg_hourly", { start, end }]);
      if (from > start) edges.push([start, from - 1, -1]);
      if (to < end - 1) edges.push([to + 1, end - 1, -1]);
    } else edges.push([from, to, 1]);
  }
  const targets: Record<Grouping, (key: string) => Sums> = {
    day: (key) => sumsAt(read.byDay, Number(key)),
    model: (key) => sumsAt(read.byModel, decodeDimension(key)),
    version: (key) => sumsAt(read.byVersion, decodeDimension(key)),
  };
  // Totals come from one grouping (each sums the same rows).
  const [first = "version"] = groupings;
  const wanted = groupings.length > 0 ? groupings : [first];
  await Promise.all(
    parts.flatMap(([table, range]) => [
      sumsQuery(db, table, projectId, filters, range, wanted, buckets).then((rows) => {
        for (const row of rows) {
          const sums = targets[row.g](String(row.k));
          for (const c of SUM_COLUMNS) sums[c] += Number(row[c]);
          if (row.g === first) for (const c of SUM_COLUMNS) read.totals[c] += Number(row[c]);
        }
      }),
      withLatency && table === "agg_hourly"
        ? latencyQuery(db, projectId, filters, range).then((rows) => {
            for (const row of rows) {
              add(histogram(decodeDimension(row.version_id)), Number(row.bucket), Number(row.n));
            }
          })
        : Promise.resolve(),
      // Each day's histogram is one JSON row, parsed here: JSON.parse reads it faster than json_each unpacks it.
      withLatency && table === "agg_daily"
        ? dailyLatencyQuery(db, projectId, filters, range).then((rows) => {
            for (const row of rows)
              addHistogramText(histogram(decodeDimension(row.version_id)), row.histogram);
          })
        : Promise.resolve(),
    ]),
  );
  for (const [from, to, sign] of edges) {
    const tasks = await edgeQuery(db, projectId, filters, from, to);
    read.edgeTasks += tasks.length;
    const deltas = new Map<string, BucketDelta>();
    for (const task of tasks) addTask(deltas, task as TaskRow, sign);
    for (const delta of deltas.values()) {
      const version = decodeDimension(delta.key.version_id);
      const keys: Record<Grouping, string> = {
        day: String(buckets.of(delta.key.hour)),
        model: delta.key.model,
        version: delta.key.version_id,
      };
      for (const grouping of wanted) addSums(targets[grouping](keys[grouping]), delta.sums);
      addSums(read.totals, delta.sums);
      const hist = histogram(version);
      for (const [bucket, n] of delta.latency) add(hist, bucket, n);
    }
  }
  dropEmpty(read.byDay);
  dropEmpty(read.byModel);
  dropEmpty(read.byVersion);
  return read;
}

const GROUP_KEYS = { day: "d", model: "model", version: "version_id" } as const;

/**
 * The sums in range grouped by each of `groupings`, one row per day, model or version, in one statement: the
 * buckets are first summed per day, model and version (a prefix of the primary key, read in index order), and
 * that small set is then summed by each grouping. Summing in SQL keeps the rows handed to JavaScript (whose
 * conversion costs more than the sums) to about a hundred for all time.
 */
function sumsQuery(
  db: Kysely<Database>,
  table: "agg_daily" | "agg_hourly",
  projectId: string,
  f: BucketFilters,
  range: TimeRange,
  groupings: readonly Grouping[],
  buckets: Buckets,
): Promise<Array<{ g: Grouping; k: string } & Record<SumColumn, number | string>>> {
  let query = db.selectFrom(table).where("project_id", "=", projectId);
  if (range.start !== undefined) query = query.where("hour", ">=", range.start);
  if (range.end !== undefined) query = query.where("hour", "<", range.end);
  if (f.model !== undefined) query = query.where("model", "=", encodeDimension(f.model));
  if (f.versionIds !== undefined) query = query.where("version_id", "in", f.versionIds.map(encodeDimension));
  if (f.environment !== undefined) query = query.where("environment", "=", f.environment);
  if (f.flag !== undefined) query = query.where("flag", "=", f.flag === "none" ? "" : f.flag);
  const inner = query
    .select([buckets.expression("hour").as("d"), "model", "version_id"])
    .select(SUM_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)))
    .groupBy(["hour", "model", "version_id"]);
  const sums = sql.join(SUM_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) AS ${sql.ref(c)}`));
  const branches = groupings.map((g) => {
    const key = sql.ref(GROUP_KEYS[g]);
    return sql`SELECT ${sql.lit(g)} AS g, CAST(${key} AS TEXT) AS k, ${sums} FROM g GROUP BY ${key}`;
  });
  // Wrapped in a plain SELECT, which SQLite runs on a reader process (a statement starting WITH goes to the writer).
  return sql<{ g: Grouping; k: string } & Record<SumColumn, number | string>>`SELECT * FROM (
    WITH g AS MATERIALIZED ${inner}
    ${sql.join(branches, sql` UNION ALL `)}) AS grouped`
    .execute(db)
    .then((r) => r.rows);
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

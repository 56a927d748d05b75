/**
 * The overview (per-day series, totals, latency percentiles, breakdowns by model and version) and the A/B
 * comparison. Both read the aggregates kept at ingest when every filter is one buckets carry (time, model,
 * version, environment, flag); any other filter (metadata, search, user, session, notes) reads the tasks
 * (overview-tasks.ts), and the reply's `source` says which.
 */
import {
  countUsers,
  readAggregates,
  RELATIVE_ACCURACY,
  sessionStartsByDay,
  sketchQuantiles,
  sketchServes,
  UTC_DAY_BUCKETS,
  zeroSums,
  type BucketFilters,
  type Buckets,
  type Sums,
} from "../../aggregates/index.js";
import type { Store } from "../../store/types.js";
import type { Breakdown, Measures, Overview, ReadSource, VersionStats } from "../api-types.js";
import { compareVersionsFromTasks, distinctFromTasks, overviewFromTasks } from "./overview-tasks.js";
import { forFullRead, type TaskFilters } from "./params.js";
import { percentiles } from "./percentile.js";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Most rows a breakdown returns (largest first). */
export const BREAKDOWN_LIMIT = 20;
/** At most this many latencies, percentiles are read exactly from the tasks rather than from the sketch. */
export const EXACT_PERCENTILES_UP_TO = 5000;

/** True when the aggregates carry every filter of the view. */
export function servedByAggregates(f: TaskFilters): boolean {
  return (
    f.metadata.length === 0 &&
    !f.q &&
    !f.hasNotes &&
    f.userId === undefined &&
    f.sessionId === undefined &&
    !f.conditions?.length &&
    f.analytics === undefined
  );
}

function bucketFilters(f: TaskFilters, versions?: string[]): BucketFilters {
  return {
    from: f.from,
    to: f.to,
    model: f.model,
    versionIds: versions ?? (f.versionId === undefined ? undefined : [f.versionId]),
    environment: f.environment,
    flag: f.flag,
  };
}

const hasDimension = (f: TaskFilters) =>
  f.model !== undefined || f.versionId !== undefined || f.environment !== undefined || f.flag !== undefined;

export function measuresOf(s: Sums, sessions: number): Measures {
  return {
    tasks: s.tasks,
    sessions,
    success: s.success,
    failure: s.failure,
    success_rate: s.success + s.failure === 0 ? null : s.success / (s.success + s.failure),
    tokens: s.total_tokens,
    avg_latency_ms: s.latency_count === 0 ? null : s.latency_sum / s.latency_count,
    cost_usd: s.cost_nano / 1e9,
    cost_tasks: s.cost_tasks,
  };
}

/** Orders keys with null first, so that ties in a breakdown come out the same whichever source summed them. */
const byKey = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;

/** Rows grouped by a key, largest first (ties by key), at most BREAKDOWN_LIMIT. */
export function topGroups(groups: Map<string | null, Sums>): Breakdown[] {
  return [...groups]
    .sort((a, b) => b[1].tasks - a[1].tasks || byKey(a[0], b[0]))
    .slice(0, BREAKDOWN_LIMIT)
    .map(([key, sums]) => {
      const { sessions: _notAdditive, ...measures } = measuresOf(sums, 0);
      return { key, ...measures };
    });
}

function mergeHistograms(histograms: Iterable<Map<number, number>>): Map<number, number> {
  const merged = new Map<number, number>();
  for (const histogram of histograms) {
    for (const [bucket, n] of histogram) merged.set(bucket, (merged.get(bucket) ?? 0) + n);
  }
  return merged;
}

/**
 * p50 and p95: from the merged latency histogram, or exact from the tasks for small sets and under a model,
 * environment or flag filter (the histograms are kept by version only).
 */
async function latencyPercentiles(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  count: number,
  histogram: Map<number, number>,
): Promise<{ values: Array<number | null>; exact: boolean }> {
  if (count <= EXACT_PERCENTILES_UP_TO || !sketchServes(bucketFilters(filters))) {
    const values = await percentiles(
      store,
      projectId,
      forFullRead(filters),
      "latency_ms",
      [0.5, 0.95],
      count,
    );
    return { values, exact: true };
  }
  return { values: sketchQuantiles(histogram, [0.5, 0.95]), exact: false };
}

/** `buckets`: UTC days (the default), hours, or the days of the reader's time zone. */
export async function overview(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  buckets: Buckets = UTC_DAY_BUCKETS,
): Promise<Overview> {
  if (!servedByAggregates(filters)) return overviewFromTasks(store, projectId, filters, buckets);
  const read = await readAggregates(store.db, projectId, bucketFilters(filters), buckets);
  const { byDay, byModel, byVersion, totals } = read;
  const dimensioned = hasDimension(filters);
  const [distinct, latency] = await Promise.all([
    dimensioned
      ? distinctFromTasks(store, projectId, filters, buckets)
      : Promise.all([
          sessionStartsByDay(store.db, projectId, filters.from, filters.to, buckets),
          countUsers(store.db, projectId, filters.from, filters.to),
        ]).then(([days, users]) => ({
          sessionsByDay: days,
          sessions: [...days.values()].reduce((a, b) => a + b, 0),
          users,
        })),
    latencyPercentiles(
      store,
      projectId,
      filters,
      totals.latency_count,
      mergeHistograms(read.latency.values()),
    ),
  ]);
  const days = [...byDay]
    .sort((a, b) => a[0] - b[0])
    .map(([key, sums]) => ({
      day: buckets.day(key),
      start: buckets.start(key),
      ...measuresOf(sums, distinct.sessionsByDay.get(key) ?? 0),
    }));
  const source: ReadSource = {
    kind: "aggregates",
    edge_tasks: read.edgeTasks,
    latency: latency.exact ? "exact" : "sketch",
    relative_accuracy: latency.exact ? 0 : RELATIVE_ACCURACY,
    distinct: dimensioned ? "tasks" : "aggregates",
  };
  return {
    totals: {
      ...measuresOf(totals, distinct.sessions),
      users: distinct.users,
      latency_p50_ms: latency.values[0] ?? null,
      latency_p95_ms: latency.values[1] ?? null,
    },
    days,
    byModel: topGroups(byModel),
    byVersion: topGroups(byVersion),
    source,
  };
}

/** Side-by-side numbers for the chosen versions, each over the same filters. */
export async function compareVersions(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  versions: string[],
): Promise<VersionStats[]> {
  if (!servedByAggregates(filters)) return compareVersionsFromTasks(store, projectId, filters, versions);
  const read = await readAggregates(store.db, projectId, bucketFilters(filters, versions), UTC_DAY_BUCKETS, [
    "version",
  ]);
  return Promise.all(
    versions.map(async (version) => {
      const sums = read.byVersion.get(version) ?? zeroSums();
      const latency = await latencyPercentiles(
        store,
        projectId,
        { ...filters, versionId: version },
        sums.latency_count,
        read.latency.get(version) ?? new Map(),
      );
      return {
        version_id: version,
        ...measuresOf(sums, 0),
        sessions: null,
        avg_tokens: sums.tokens_count === 0 ? null : sums.total_tokens / sums.tokens_count,
        latency_p50_ms: latency.values[0] ?? null,
        latency_p95_ms: latency.values[1] ?? null,
        source: {
          kind: "aggregates",
          edge_tasks: read.edgeTasks,
          latency: latency.exact ? "exact" : "sketch",
          relative_accuracy: latency.exact ? 0 : RELATIVE_ACCURACY,
          distinct: "aggregates",
        },
      };
    }),
  );
}

/**
 * The overview and the A/B comparison read from the tasks, for views the aggregates cannot serve (a metadata
 * key, search, one user or session, notes): exact, through the indexes the filters use, and slower as the
 * selection grows. Also the distinct session and user counts of a view filtered on a bucket dimension.
 */
import { sql } from "kysely";
import { UTC_DAY_BUCKETS, zeroSums, type Buckets, type Sums } from "../../aggregates/index.js";
import type { Store } from "../../store/types.js";
import type { Overview, VersionStats } from "../api-types.js";
import { measuresOf, topGroups } from "./overview.js";
import { forFullRead, type TaskFilters } from "./params.js";
import { percentiles } from "./percentile.js";
import { taskWhere } from "./where.js";

/** The sums the aggregates keep, computed by SQL over the filtered tasks. */
const additive = [
  sql<number>`count(*)`.as("tasks"),
  sql<number>`sum(case when tasks.flag = 'success' then 1 else 0 end)`.as("success"),
  sql<number>`sum(case when tasks.flag = 'failure' then 1 else 0 end)`.as("failure"),
  // `* 1.0`: summed as REAL (SQLite) or NUMERIC (PostgreSQL), so that no total can overflow 64 bits.
  sql<number>`coalesce(sum(tasks.total_tokens * 1.0), 0)`.as("total_tokens"),
  sql<number>`count(tasks.total_tokens)`.as("tokens_count"),
  sql<number>`coalesce(sum(tasks.latency_ms * 1.0), 0)`.as("latency_sum"),
  sql<number>`count(tasks.latency_ms)`.as("latency_count"),
  sql<number>`coalesce(sum(tasks.cost_usd), 0)`.as("cost_usd"),
  sql<number>`count(tasks.cost_usd)`.as("cost_tasks"),
] as const;

function sumsOf(row: Record<string, unknown> | undefined): Sums {
  const sums = zeroSums();
  const n = (key: string) => Number(row?.[key] ?? 0);
  sums.tasks = n("tasks");
  sums.success = n("success");
  sums.failure = n("failure");
  sums.total_tokens = n("total_tokens");
  sums.tokens_count = n("tokens_count");
  sums.latency_sum = n("latency_sum");
  sums.latency_count = n("latency_count");
  sums.cost_nano = Math.round(n("cost_usd") * 1e9);
  sums.cost_tasks = n("cost_tasks");
  return sums;
}

function add(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const key of Object.keys(b) as Array<keyof Sums>) out[key] += b[key];
  return out;
}

function filtered(store: Store, projectId: string, filters: TaskFilters) {
  return store.db.selectFrom("tasks").where(taskWhere(store.dialect, projectId, filters));
}

/**
 * Distinct sessions (per day and over the range) and users. PostgreSQL sorts for `count(distinct …)`;
 * `count(*)` over a `SELECT DISTINCT` hashes instead, one query per column so both run at once.
 */
export async function distinctFromTasks(
  store: Store,
  projectId: string,
  given: TaskFilters,
  buckets: Buckets = UTC_DAY_BUCKETS,
) {
  const filters = forFullRead(given);
  // Per bucket, the sessions whose first matching task falls in it, so that buckets add up (hours into a
  // reader's days) and sum to the distinct sessions of the range, as sessions started do on the aggregates.
  const firsts = filtered(store, projectId, filters)
    .select(["tasks.session_id", sql<number>`min(tasks.created_at)`.as("first")])
    .where("tasks.session_id", "is not", null)
    .groupBy("tasks.session_id");
  const day = buckets.expression("f.first");
  const perDay = store.db
    .selectFrom(firsts.as("f"))
    .select([day.as("day"), sql<number>`count(*)`.as("sessions")])
    .groupBy(day)
    .execute();
  const count = async (column: "session_id" | "user_id") => {
    const values = filtered(store, projectId, filters)
      .select(`tasks.${column}`)
      .where(`tasks.${column}`, "is not", null)
      .distinct();
    const row = await store.db
      .selectFrom(values.as("d"))
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  const [days, sessions, users] = await Promise.all([perDay, count("session_id"), count("user_id")]);
  return {
    sessionsByDay: new Map(days.map((row) => [Number(row.day), Number(row.sessions)])),
    sessions,
    users,
  };
}

export async function overviewFromTasks(
  store: Store,
  projectId: string,
  given: TaskFilters,
  buckets: Buckets = UTC_DAY_BUCKETS,
): Promise<Overview> {
  const filters = forFullRead(given);
  const day = buckets.expression("tasks.created_at");
  const [groupRows, distinct] = await Promise.all([
    filtered(store, projectId, filters)
      .select([day.as("day"), "tasks.model", "tasks.version_id", ...additive])
      .groupBy([day, "tasks.model", "tasks.version_id"])
      .execute(),
    distinctFromTasks(store, projectId, filters, buckets),
  ]);
  const byDay = new Map<number, Sums>();
  const byModel = new Map<string | null, Sums>();
  const byVersion = new Map<string | null, Sums>();
  let totals = zeroSums();
  for (const row of groupRows) {
    const sums = sumsOf(row);
    const key = Number(row.day);
    byDay.set(key, add(byDay.get(key) ?? zeroSums(), sums));
    byModel.set(row.model, add(byModel.get(row.model) ?? zeroSums(), sums));
    byVersion.set(row.version_id, add(byVersion.get(row.version_id) ?? zeroSums(), sums));
    totals = add(totals, sums);
  }
  const days = [...byDay]
    .sort((a, b) => a[0] - b[0])
    .map(([key, sums]) => ({
      day: buckets.day(key),
      start: buckets.start(key),
      ...measuresOf(sums, distinct.sessionsByDay.get(key) ?? 0),
    }));
  const [p50, p95] = await percentiles(
    store,
    projectId,
    filters,
    "latency_ms",
    [0.5, 0.95],
    totals.latency_count,
  );
  return {
    totals: {
      ...measuresOf(totals, distinct.sessions),
      users: distinct.users,
      latency_p50_ms: p50 ?? null,
      latency_p95_ms: p95 ?? null,
    },
    days,
    byModel: topGroups(byModel),
    byVersion: topGroups(byVersion),
    source: { kind: "tasks", exact: true, rows: totals.tasks },
  };
}

export async function compareVersionsFromTasks(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  versions: string[],
): Promise<VersionStats[]> {
  return Promise.all(
    versions.map(async (version) => {
      const scoped = forFullRead({ ...filters, versionId: version });
      const [row, [p50, p95]] = await Promise.all([
        filtered(store, projectId, scoped)
          .select([...additive, sql<number>`count(distinct tasks.session_id)`.as("sessions")])
          .executeTakeFirst(),
        percentiles(store, projectId, scoped, "latency_ms", [0.5, 0.95]),
      ]);
      const sums = sumsOf(row);
      return {
        version_id: version,
        ...measuresOf(sums, Number(row?.sessions ?? 0)),
        avg_tokens: sums.tokens_count === 0 ? null : sums.total_tokens / sums.tokens_count,
        latency_p50_ms: p50 ?? null,
        latency_p95_ms: p95 ?? null,
        source: { kind: "tasks", exact: true, rows: sums.tasks },
      };
    }),
  );
}

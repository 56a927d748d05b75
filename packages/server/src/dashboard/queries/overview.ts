/** The overview: per-day series, totals, latency percentiles, breakdowns by model and version, and A/B stats. */
import { sql } from "kysely";
import type { Store } from "../../store/types.js";
import type { TaskFilters } from "./params.js";
import { percentiles } from "./percentile.js";
import { taskWhere } from "./where.js";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Most rows a breakdown returns (largest first). */
export const BREAKDOWN_LIMIT = 20;

/** Aggregates shared by totals, days and breakdowns. Integer division buckets UTC days on both engines. */
const measures = [
  sql<number>`count(*)`.as("tasks"),
  sql<number>`count(distinct tasks.session_id)`.as("sessions"),
  sql<number>`sum(case when tasks.flag = 'success' then 1 else 0 end)`.as("success"),
  sql<number>`sum(case when tasks.flag = 'failure' then 1 else 0 end)`.as("failure"),
  sql<number>`coalesce(sum(tasks.total_tokens), 0)`.as("tokens"),
  sql<number | null>`avg(tasks.latency_ms)`.as("avg_latency_ms"),
] as const;

export interface Measures {
  tasks: number;
  sessions: number;
  success: number;
  failure: number;
  success_rate: number | null;
  tokens: number;
  avg_latency_ms: number | null;
}

function measuresOf(row: Record<string, unknown> | undefined): Measures {
  const success = Number(row?.success ?? 0);
  const failure = Number(row?.failure ?? 0);
  const avg = row?.avg_latency_ms;
  return {
    tasks: Number(row?.tasks ?? 0),
    sessions: Number(row?.sessions ?? 0),
    success,
    failure,
    success_rate: success + failure === 0 ? null : success / (success + failure),
    tokens: Number(row?.tokens ?? 0),
    avg_latency_ms: avg === null || avg === undefined ? null : Number(avg),
  };
}

function filtered(store: Store, projectId: string, filters: TaskFilters) {
  return store.db.selectFrom("tasks").where(taskWhere(store.dialect, projectId, filters));
}

async function breakdown(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  column: "model" | "version_id",
) {
  const rows = await filtered(store, projectId, filters)
    .select([sql.ref<string | null>(`tasks.${column}`).as("key"), ...measures])
    .groupBy(`tasks.${column}`)
    .orderBy(sql`count(*)`, "desc")
    .limit(BREAKDOWN_LIMIT)
    .execute();
  return rows.map((row) => ({ key: row.key, ...measuresOf(row) }));
}

export async function overview(store: Store, projectId: string, filters: TaskFilters) {
  const day = sql<number>`tasks.created_at / ${sql.lit(DAY_MS)}`;
  const [totalsRow, dayRows, [p50, p95], byModel, byVersion] = await Promise.all([
    filtered(store, projectId, filters)
      .select([...measures, sql<number>`count(distinct tasks.user_id)`.as("users")])
      .executeTakeFirst(),
    filtered(store, projectId, filters)
      .select([day.as("day"), ...measures])
      .groupBy(day)
      .orderBy(day)
      .execute(),
    percentiles(store, projectId, filters, "latency_ms", [0.5, 0.95]),
    breakdown(store, projectId, filters, "model"),
    breakdown(store, projectId, filters, "version_id"),
  ]);
  return {
    totals: {
      ...measuresOf(totalsRow),
      users: Number(totalsRow?.users ?? 0),
      latency_p50_ms: p50,
      latency_p95_ms: p95,
    },
    days: dayRows.map((row) => ({
      day: new Date(Number(row.day) * DAY_MS).toISOString().slice(0, 10),
      ...measuresOf(row),
    })),
    byModel,
    byVersion,
  };
}

/** Side-by-side numbers for the chosen versions, each over the same filters. */
export async function compareVersions(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  versions: string[],
) {
  return Promise.all(
    versions.map(async (version) => {
      const scoped = { ...filters, versionId: version };
      const [row, [p50, p95]] = await Promise.all([
        filtered(store, projectId, scoped)
          .select([...measures, sql<number | null>`avg(tasks.total_tokens)`.as("avg_tokens")])
          .executeTakeFirst(),
        percentiles(store, projectId, scoped, "latency_ms", [0.5, 0.95]),
      ]);
      const avgTokens = row?.avg_tokens;
      return {
        version_id: version,
        ...measuresOf(row),
        avg_tokens: avgTokens === null || avgTokens === undefined ? null : Number(avgTokens),
        latency_p50_ms: p50,
        latency_p95_ms: p95,
      };
    }),
  );
}

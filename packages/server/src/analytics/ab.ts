/**
 * A/B comparison of versions: per version the success rate (human or log flags) with its 95 % Wilson interval,
 * event rates, latency and tokens; for each version against the first, the differences and their significance
 * (two-proportion z-test for rates, Mann–Whitney U for latency over a bounded sample of the latest tasks).
 */
import { sql, type Kysely } from "kysely";
import { median, quantile } from "simple-statistics";
import type { Database } from "../store/schema.js";
import {
  mannWhitney,
  twoProportionTest,
  wilsonInterval,
  type Interval,
  type ProportionTest,
  type RankTest,
} from "./stats.js";

/** Latencies per version fed to the rank test: the latest ones. */
export const LATENCY_SAMPLE = 5_000;
export const ALPHA = 0.05;

export interface AbFilters {
  from?: number | undefined;
  to?: number | undefined;
}

export interface VersionStats {
  version_id: string;
  tasks: number;
  flagged: number;
  successes: number;
  success_rate: number | null;
  success_interval: Interval | null;
  events: Array<{
    event_id: string;
    name: string;
    detected: number;
    analysed: number;
    rate: number | null;
    interval: Interval | null;
  }>;
  latency: { n: number; mean: number | null; median: number | null; p95: number | null };
  tokens: { mean_total: number | null };
}

export interface Comparison {
  baseline: string;
  version_id: string;
  success_rate: (ProportionTest & { significant: boolean; n: [number, number] }) | null;
  events: Array<{
    event_id: string;
    test: (ProportionTest & { significant: boolean; n: [number, number] }) | null;
  }>;
  latency:
    (RankTest & { significant: boolean; n: [number, number]; median_difference: number | null }) | null;
}

export async function compareVersions(
  db: Kysely<Database>,
  projectId: string,
  versions: string[],
  filters: AbFilters,
): Promise<{ versions: VersionStats[]; comparisons: Comparison[]; alpha: number }> {
  let base = db
    .selectFrom("tasks")
    .where("tasks.project_id", "=", projectId)
    .where("tasks.version_id", "in", versions);
  if (filters.from !== undefined) base = base.where("tasks.created_at", ">=", filters.from);
  if (filters.to !== undefined) base = base.where("tasks.created_at", "<=", filters.to);

  const totals = await base
    .select([
      "tasks.version_id",
      (eb) => eb.fn.countAll<number>().as("tasks"),
      sql<number>`sum(case when tasks.flag = 'success' then 1 else 0 end)`.as("successes"),
      sql<number>`sum(case when tasks.flag is not null then 1 else 0 end)`.as("flagged"),
      (eb) => eb.fn.avg<number>("tasks.total_tokens").as("mean_tokens"),
    ])
    .groupBy("tasks.version_id")
    .execute();

  const events = await base
    .innerJoin("detections", (join) =>
      join
        .onRef("detections.project_id", "=", "tasks.project_id")
        .onRef("detections.task_id", "=", "tasks.id"),
    )
    .innerJoin("event_definitions", (join) =>
      join
        .onRef("event_definitions.project_id", "=", "detections.project_id")
        .onRef("event_definitions.id", "=", "detections.definition_id")
        .onRef("event_definitions.version", "=", "detections.definition_version"),
    )
    .select([
      "tasks.version_id",
      "event_definitions.id as event_id",
      "event_definitions.name",
      (eb) => eb.fn.countAll<number>().as("analysed"),
      sql<number>`sum(detections.present)`.as("detected"),
    ])
    .groupBy(["tasks.version_id", "event_definitions.id", "event_definitions.name"])
    .execute();

  const stats: VersionStats[] = [];
  const latencies = new Map<string, number[]>();
  for (const version of versions) {
    const total = totals.find((row) => row.version_id === version);
    const sample = await base
      .select("tasks.latency_ms")
      .where("tasks.version_id", "=", version)
      .where("tasks.latency_ms", "is not", null)
      .orderBy("tasks.created_at", "desc")
      .limit(LATENCY_SAMPLE)
      .execute();
    const values = sample.map((row) => Number(row.latency_ms));
    latencies.set(version, values);
    const flagged = Number(total?.flagged ?? 0);
    const successes = Number(total?.successes ?? 0);
    stats.push({
      version_id: version,
      tasks: Number(total?.tasks ?? 0),
      flagged,
      successes,
      success_rate: flagged === 0 ? null : successes / flagged,
      success_interval: wilsonInterval(successes, flagged),
      events: events
        .filter((row) => row.version_id === version)
        .map((row) => {
          const detected = Number(row.detected ?? 0);
          const analysed = Number(row.analysed);
          return {
            event_id: row.event_id,
            name: row.name,
            detected,
            analysed,
            rate: analysed === 0 ? null : detected / analysed,
            interval: wilsonInterval(detected, analysed),
          };
        }),
      latency: {
        n: values.length,
        mean: values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length,
        median: values.length === 0 ? null : median(values),
        p95: values.length === 0 ? null : quantile(values, 0.95),
      },
      tokens: {
        mean_total:
          total?.mean_tokens === null || total?.mean_tokens === undefined ? null : Number(total.mean_tokens),
      },
    });
  }

  const comparisons: Comparison[] = [];
  const baseline = stats[0];
  for (const other of stats.slice(1)) {
    if (!baseline) break;
    const rate = twoProportionTest(baseline.successes, baseline.flagged, other.successes, other.flagged);
    const a = latencies.get(baseline.version_id) ?? [];
    const b = latencies.get(other.version_id) ?? [];
    const rank = mannWhitney(a, b);
    comparisons.push({
      baseline: baseline.version_id,
      version_id: other.version_id,
      success_rate: rate && {
        ...rate,
        significant: rate.p_value < ALPHA,
        n: [baseline.flagged, other.flagged],
      },
      events: baseline.events.map((event) => {
        const theirs = other.events.find((row) => row.event_id === event.event_id);
        const test = theirs
          ? twoProportionTest(event.detected, event.analysed, theirs.detected, theirs.analysed)
          : null;
        return {
          event_id: event.event_id,
          test: test && {
            ...test,
            significant: test.p_value < ALPHA,
            n: [event.analysed, theirs?.analysed ?? 0],
          },
        };
      }),
      latency: rank && {
        ...rank,
        significant: rank.p_value < ALPHA,
        n: [a.length, b.length],
        median_difference: a.length && b.length ? median(b) - median(a) : null,
      },
    });
  }
  return { versions: stats, comparisons, alpha: ALPHA };
}

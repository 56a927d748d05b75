/**
 * The dashboard's aggregate reads against the same questions answered from the tasks: for ranges that cut hours
 * in the middle (edges read from the tasks), each bucket dimension as a filter, and A/B; a filter the
 * aggregates don't carry falls back to the tasks and says so. The sketch's percentiles stay within its stated
 * relative accuracy of the exact nearest-rank values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAggregates, RELATIVE_ACCURACY, sketchQuantiles } from "../../src/aggregates/index.js";
import { latencyBucket } from "../../src/aggregates/sketch.js";
import { compareVersions, overview } from "../../src/dashboard/queries/overview.js";
import { compareVersionsFromTasks, overviewFromTasks } from "../../src/dashboard/queries/overview-tasks.js";
import type { TaskFilters } from "../../src/dashboard/queries/params.js";
import { nearestRankIndex } from "../../src/dashboard/queries/percentile.js";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

const START_S = 1_790_000_000;
const HOUR_S = 3600;
const MODELS = ["gpt-4o", "claude", null];

/** Numbers a reply must agree on, whichever source computed it (sessions differ by definition). */
function comparable(reply: Awaited<ReturnType<typeof overview>>) {
  const strip = <T extends { sessions: unknown }>({ sessions: _s, ...rest }: T) => rest;
  return {
    totals: {
      ...strip(reply.totals),
      users: undefined,
      latency_p50_ms: undefined,
      latency_p95_ms: undefined,
    },
    days: reply.days.map(strip),
    byModel: reply.byModel,
    byVersion: reply.byVersion,
  };
}

describe.each(await storeEngines())("aggregate reads on $name", (engine) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(engine);
    // 300 tasks over 50 hours: every 10 minutes, three models, two versions, two environments, mixed flags.
    const events = Array.from({ length: 300 }, (_, i) => ({
      task_id: `a${i}`,
      session_id: `s${Math.floor(i / 7)}`,
      input: `question ${i}`,
      output: `answer ${i}`,
      created_at: START_S + i * 600,
      ...(MODELS[i % 3] ? { model: MODELS[i % 3] } : {}),
      version_id: i % 4 === 0 ? "v2" : "v1",
      environment: i % 5 === 0 ? "staging" : "production",
      latency_ms: 50 + ((i * 37) % 900),
      prompt_tokens: i % 11,
      completion_tokens: 3,
      user_id: `u${i % 13}`,
      ...(i % 3 === 0 ? { flag: "success" } : i % 3 === 1 ? { flag: "failure" } : {}),
    }));
    await h.log(events);
    // An upsert moving a task to another model and flag, and feedback on another.
    await h.log([
      {
        task_id: "a10",
        input: "question 10",
        model: "claude",
        last_update: START_S + 99_999,
        flag: "success",
      },
    ]);
    await h.send("POST", `/projects/${h.projectId}/tasks/a11/flag`, { flag: "success" });
  });
  afterAll(() => h?.close());

  const cases: Array<[string, TaskFilters]> = [
    ["all time", { metadata: [] }],
    [
      "a range cutting hours",
      { metadata: [], from: (START_S + 1234) * 1000, to: (START_S + 40 * HOUR_S + 77) * 1000 },
    ],
    ["under an hour", { metadata: [], from: (START_S + 700) * 1000, to: (START_S + 2900) * 1000 }],
    // Partial hours past half an hour: each hour's bucket less the tasks of the rest of that hour.
    [
      "ends covering most of their hours",
      { metadata: [], from: (START_S + 100) * 1000, to: (START_S + 30 * HOUR_S + 2500) * 1000 },
    ],
    ["most of one hour", { metadata: [], from: (START_S + 2850) * 1000, to: (START_S + 6300) * 1000 }],
    ["a model", { metadata: [], model: "claude" }],
    ["no flag", { metadata: [], flag: "none", from: (START_S + 500) * 1000 }],
    ["a version and an environment", { metadata: [], versionId: "v2", environment: "staging" }],
  ];

  it.each(cases)("overview from the aggregates equals the tasks' answer: %s", async (_name, filters) => {
    const fromAggregates = await overview(h.store, h.projectId, filters);
    const fromTasks = await overviewFromTasks(h.store, h.projectId, filters);
    expect(fromAggregates.source.kind).toBe("aggregates");
    expect(fromTasks.source).toEqual({ kind: "tasks", exact: true, rows: fromTasks.totals.tasks });
    expect(fromAggregates.totals.tasks).toBeGreaterThan(0);
    expect(comparable(fromAggregates)).toEqual(comparable(fromTasks));
    // Under 5,000 latencies the percentiles are the exact ones.
    expect(fromAggregates.totals.latency_p50_ms).toBe(fromTasks.totals.latency_p50_ms);
    expect(fromAggregates.totals.latency_p95_ms).toBe(fromTasks.totals.latency_p95_ms);
  });

  it("reads most of an hour as its bucket less the tasks of the rest of the hour", async () => {
    // The hour from START_S + 2800 s holds six tasks, all inside the range; its two slivers outside hold none.
    const filters = cases.find(([name]) => name === "most of one hour")![1];
    const reply = await overview(h.store, h.projectId, filters);
    expect(reply.totals.tasks).toBe(6);
    expect(reply.source).toMatchObject({ kind: "aggregates", edge_tasks: 0 });
  });

  it("gives p50/p95 from the kept histograms within the sketch's accuracy of the exact values", async () => {
    for (const filters of cases.map(([, f]) => f).filter((f) => !f.model && !f.flag && !f.environment)) {
      const read = await readAggregates(h.store.db, h.projectId, {
        from: filters.from,
        to: filters.to,
      });
      const merged = new Map<number, number>();
      for (const histogram of read.latency.values()) {
        for (const [bucket, n] of histogram) merged.set(bucket, (merged.get(bucket) ?? 0) + n);
      }
      const exact = await overviewFromTasks(h.store, h.projectId, filters);
      const [p50, p95] = sketchQuantiles(merged, [0.5, 0.95]);
      for (const [got, want] of [
        [p50, exact.totals.latency_p50_ms],
        [p95, exact.totals.latency_p95_ms],
      ]) {
        expect(Math.abs(got! - want!)).toBeLessThanOrEqual(want! * RELATIVE_ACCURACY + 0.01);
      }
    }
  });

  it("counts sessions started and users over all time like the tasks do", async () => {
    const all = await overview(h.store, h.projectId, { metadata: [] });
    const exact = await overviewFromTasks(h.store, h.projectId, { metadata: [] });
    expect(all.totals.sessions).toBe(exact.totals.sessions);
    expect(all.totals.users).toBe(exact.totals.users);
  });

  it("compares versions from the aggregates like the tasks do", async () => {
    const filters: TaskFilters = { metadata: [], from: (START_S + 1800) * 1000 };
    const fromAggregates = await compareVersions(h.store, h.projectId, filters, ["v1", "v2", "none"]);
    const fromTasks = await compareVersionsFromTasks(h.store, h.projectId, filters, ["v1", "v2", "none"]);
    const strip = <T extends { sessions: unknown; source: unknown }>({
      sessions: _s,
      source: _source,
      ...rest
    }: T) => rest;
    expect(fromAggregates.map(strip)).toEqual(fromTasks.map(strip));
    expect(fromAggregates[0]?.source.kind).toBe("aggregates");
  });

  it("falls back to the tasks for a metadata key, a search or a user, and says so in the reply", async () => {
    const byMeta = await h.get<{ totals: { tasks: number }; source: unknown }>(
      `/projects/${h.projectId}/overview?meta=user_id%3Du1`,
    );
    expect(byMeta.body.source).toEqual({ kind: "tasks", exact: true, rows: byMeta.body.totals.tasks });
    expect(byMeta.body.totals.tasks).toBeGreaterThan(0);
    const searched = await h.get<{ source: { kind: string } }>(
      `/projects/${h.projectId}/overview?q=question`,
    );
    expect(searched.body.source.kind).toBe("tasks");
    const users = await h.get<{ source: { kind: string }; users: unknown[] }>(
      `/projects/${h.projectId}/users`,
    );
    expect(users.body.source.kind).toBe("aggregates");
    expect(users.body.users).toHaveLength(13);
    const ranged = await h.get<{ source: { kind: string } }>(`/projects/${h.projectId}/users?range=7d`);
    expect(ranged.body.source.kind).toBe("tasks");
  });
});

describe("the latency sketch", () => {
  it("gives nearest-rank percentiles within its relative accuracy", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values = Array.from({ length: 20_000 }, () => Math.round(Math.exp(random() * 9)));
    const buckets = new Map<number, number>();
    for (const v of values) buckets.set(latencyBucket(v), (buckets.get(latencyBucket(v)) ?? 0) + 1);
    const sorted = [...values].sort((a, b) => a - b);
    const ps = [0.01, 0.5, 0.9, 0.95, 0.99, 1];
    const got = sketchQuantiles(buckets, ps);
    ps.forEach((p, i) => {
      const exact = sorted[nearestRankIndex(p, sorted.length)]!;
      expect(Math.abs(got[i]! - exact)).toBeLessThanOrEqual(exact * RELATIVE_ACCURACY + 0.01);
    });
    expect(sketchQuantiles(new Map(), [0.5])).toEqual([null]);
  });
});

/**
 * Percentiles are nearest-rank on both engines: OFFSET on SQLite, `percentile_disc` on PostgreSQL. Both must give
 * the value at position ceil(p × n) for every n and p, so charts read the same whichever engine stores the data.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nearestRankIndex, percentiles } from "../../src/dashboard/queries/percentile.js";
import { storeEngines } from "../helpers/postgres.js";
import { BASE_S, startHarness, type Harness } from "./harness.js";

const SIZES = [1, 2, 3, 7, 20, 21, 40];
const PS = [0, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99, 1];

/** Latencies of a group of n tasks, unsorted (with ties when 7 divides n); each group also has a task without one. */
const latencies = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7) % n) * 10 + n);

describe.each(await storeEngines())("nearest-rank percentiles on $name", (engine) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(engine);
    const events = SIZES.flatMap((n) => [
      ...latencies(n).map((latency, i) => ({
        task_id: `p${n}_${i}`,
        input: `task ${i} of ${n}`,
        created_at: BASE_S + i,
        version_id: `n${n}`,
        latency_ms: latency,
      })),
      { task_id: `p${n}_none`, input: "no latency", created_at: BASE_S, version_id: `n${n}` },
    ]);
    await h.log(events);
  });
  afterAll(() => h?.close());

  it("gives the value at position ceil(p × n), ignoring tasks without a value", async () => {
    for (const n of SIZES) {
      const sorted = latencies(n).sort((a, b) => a - b);
      const got = await percentiles(
        h.store,
        h.projectId,
        { metadata: [], versionId: `n${n}` },
        "latency_ms",
        PS,
      );
      expect(got, `n=${n}`).toEqual(PS.map((p) => sorted[nearestRankIndex(p, n)]));
    }
  });

  it("gives nulls when no task has a value", async () => {
    const got = await percentiles(
      h.store,
      h.projectId,
      { metadata: [], versionId: "none" },
      "latency_ms",
      [0.5],
    );
    expect(got).toEqual([null]);
  });
});

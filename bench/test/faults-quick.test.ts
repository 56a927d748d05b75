/**
 * CI's run of the fault suite (`npm run faults -- --quick` in one test file): the real SDK from
 * packages/phospho/dist logs into the real phospho-server binary while it is killed, stopped, throttled and fed
 * malformed requests. Every fault must account for every event it accepted, and pass its own checks.
 * Needs the built packages (`npm test` builds first). No timing assertions: only counts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FAULTS, renderFaults, runFaults } from "../faults/index.js";
import type { FaultResult } from "../faults/types.js";

let results: FaultResult[] = [];

beforeAll(async () => {
  results = await runFaults({ quick: true });
  console.log(renderFaults(results));
}, 240_000);

describe("quick fault suite", () => {
  it("ran every fault", () => {
    expect(results).toHaveLength(Object.keys(FAULTS).length);
  });

  it.each(Object.keys(FAULTS).map((key, i) => [key, i] as const))(
    "%s: zero unaccounted events",
    (_key, i) => {
      const r = results[i]!;
      if (r.skipped) return;
      expect(r.logged, `${r.name} logged nothing`).toBeGreaterThan(0);
      expect(r.unaccounted, `${r.name}: ${r.unaccounted} accepted events unaccounted for`).toBe(0);
    },
  );

  it.each(Object.keys(FAULTS).map((key, i) => [key, i] as const))("%s: its checks pass", (_key, i) => {
    const r = results[i]!;
    const failed = r.checks.filter((c) => !c.ok).map((c) => `${c.what}: ${c.detail}`);
    expect(failed, r.name).toEqual([]);
  });
});

/**
 * Chart days in the reader's time zone (`GET /overview?bucket=day&tz=…`), on SQLite and PostgreSQL: a task near
 * midnight lands on its local day in winter and in summer (the offset changes between them), from the
 * aggregates, from the tasks, and under a dimension filter; sessions are counted per bucket in hour buckets too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offsetStretches } from "../../src/aggregates/buckets.js";
import { zoneDays, zoneOffset } from "../../src/aggregates/index.js";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "./harness.js";

const engines = await storeEngines();
const HOUR = 3_600_000;
const LA = "America/Los_Angeles";

/** Four tasks around Los Angeles midnight: UTC-8 in January, UTC-7 in July. */
const TIMES = {
  janBefore: Date.UTC(2026, 0, 10, 7, 30), // Jan 9, 23:30 in LA
  janAfter: Date.UTC(2026, 0, 10, 8, 30), // Jan 10, 00:30
  julBefore: Date.UTC(2026, 6, 10, 6, 30), // Jul 9, 23:30
  julAfter: Date.UTC(2026, 6, 10, 7, 30), // Jul 10, 00:30
};

interface Day {
  day: string;
  start: number;
  tasks: number;
  sessions: number;
}
interface Reply {
  days: Day[];
  totals: { tasks: number; sessions: number };
  source: { kind: string };
}

describe("zone days", () => {
  it("knows a zone's offsets and numbers its days across a daylight-saving change", () => {
    expect(zoneOffset(LA, TIMES.janBefore)).toBe(-8 * HOUR);
    expect(zoneOffset(LA, TIMES.julBefore)).toBe(-7 * HOUR);
    const days = zoneDays(LA, Date.UTC(2026, 0, 1), Date.UTC(2026, 7, 1));
    expect(days.day(days.of(TIMES.janBefore))).toBe("2026-01-09");
    expect(days.day(days.of(TIMES.janAfter))).toBe("2026-01-10");
    expect(days.day(days.of(TIMES.julBefore))).toBe("2026-07-09");
    expect(days.start(days.of(TIMES.julAfter))).toBe(Date.UTC(2026, 6, 10, 7));
    expect(days.start(days.of(TIMES.janAfter))).toBe(Date.UTC(2026, 0, 10, 8));
    // The change in March: 2am PST becomes 3am PDT on March 8, 2026 (10:00 UTC).
    const march = days.of(Date.UTC(2026, 2, 8, 12));
    expect(days.start(march)).toBe(Date.UTC(2026, 2, 8, 8));
    expect(days.start(march + 1)).toBe(Date.UTC(2026, 2, 9, 7));
    // Two years: the offset at the start, then four changes, each found to the minute.
    const stretches = offsetStretches(LA, Date.UTC(2025, 0, 1), Date.UTC(2026, 11, 31));
    expect(stretches.map((s) => s.offset / HOUR)).toEqual([-8, -7, -8, -7, -8]);
    expect(stretches[3]?.from).toBe(Date.UTC(2026, 2, 8, 10));
    expect(offsetStretches("Asia/Tokyo", 0, Date.UTC(2026, 0, 1)).map((s) => s.offset / HOUR)).toEqual([9]);
  });
});

describe.each(engines)("overview days in the reader's zone on $name", (engine) => {
  let h: Harness;
  const path = (rest: string) => `/projects/${h.projectId}${rest}`;
  // 120+ days, with ends inside hours so the partial hours come from the tasks.
  const from = Date.UTC(2026, 0, 10, 7, 10);
  const to = Date.UTC(2026, 6, 31, 12, 40);
  const range = `from=${from}&to=${to}`;
  const counts = (days: Day[]) => Object.fromEntries(days.map((d) => [d.day, d.tasks]));

  beforeAll(async () => {
    h = await startHarness(engine);
    await h.log(
      Object.entries(TIMES).map(([id, ms], i) => ({
        task_id: id,
        input: id,
        output: "ok",
        created_at: ms / 1000,
        session_id: `s_${id}`,
        user_id: i % 2 === 0 ? "ann" : "ben",
        model: "gpt-4o",
      })),
    );
  });
  afterAll(() => h?.close());

  it("puts a task near midnight on its local day, from the aggregates and from the tasks", async () => {
    const local = {
      "2026-01-09": 1,
      "2026-01-10": 1,
      "2026-07-09": 1,
      "2026-07-10": 1,
    };
    // Aggregates; aggregates with distinct counts from the tasks (a dimension); the tasks (a condition).
    for (const query of ["", "&model=gpt-4o", "&f=not_contains%3Ainput%3Dzzz"]) {
      const { status, body } = await h.get<Reply>(path(`/overview?${range}&bucket=day&tz=${LA}${query}`));
      expect(status).toBe(200);
      expect(counts(body.days), query).toEqual(local);
      expect(body.days.find((d) => d.day === "2026-07-10")?.start).toBe(Date.UTC(2026, 6, 10, 7));
      expect(body.days.find((d) => d.day === "2026-01-09")?.start).toBe(Date.UTC(2026, 0, 9, 8));
      // Sessions per day add up to the range's sessions.
      expect(body.days.reduce((n, d) => n + d.sessions, 0)).toBe(body.totals.sessions);
      expect(body.totals.sessions).toBe(4);
    }
    const tasksRead = await h.get<Reply>(path(`/overview?${range}&bucket=day&tz=${LA}&user_id=ann`));
    expect(tasksRead.body.source.kind).toBe("tasks");
    expect(counts(tasksRead.body.days)).toEqual({ "2026-01-09": 1, "2026-07-09": 1 });

    const utc = await h.get<Reply>(path(`/overview?${range}&bucket=day`));
    expect(counts(utc.body.days)).toEqual({ "2026-01-10": 2, "2026-07-10": 2 });
    const allTime = await h.get<Reply>(path(`/overview?range=all&bucket=day&tz=${LA}`));
    expect(counts(allTime.body.days)).toEqual(local);
  });

  it("counts sessions per hour bucket", async () => {
    for (const extra of ["", "&model=gpt-4o", "&user_id=ann"]) {
      const { body } = await h.get<Reply>(path(`/overview?${range}&bucket=hour${extra}`));
      const withTasks = body.days.filter((d) => d.tasks > 0);
      expect(withTasks.length, extra).toBeGreaterThan(0);
      for (const d of withTasks) expect(d.sessions, `${extra} ${d.start}`).toBe(1);
      expect(body.days.reduce((n, d) => n + d.sessions, 0)).toBe(body.totals.sessions);
    }
  });

  it("refuses an unknown zone with a 400 naming tz", async () => {
    const { status, body } = await h.get<{ detail: string }>(path(`/overview?range=all&tz=Mars/Olympus`));
    expect(status).toBe(400);
    expect(body.detail).toContain("tz");
    expect(body.detail).toContain("IANA");
  });
});

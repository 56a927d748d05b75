/**
 * Pages filtered row by row (search, metadata), on SQLite and PostgreSQL. On PostgreSQL a page first reads a
 * window of the sort index and falls back to the plain query when the window does not fill it (window.ts); every
 * page, in every sort, must still be exactly the page the plain query gives. Metadata filters match a value's
 * text exactly (no numeric equality), and filters that PostgreSQL cannot run are 400s, not 500s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WINDOW_FACTOR } from "../../src/dashboard/queries/window.js";
import { storeEngines } from "../helpers/postgres.js";
import { BASE_S, startHarness, type Harness } from "./harness.js";

const COUNT = 200;
const LIMIT = 5;

interface Row {
  id: string;
  i: number;
  input: string;
  latency: number;
  meta: Record<string, unknown>;
}

/**
 * "lighthouse" is in 90% of the tasks (a window fills a page), "ferry" in 1 in 8 (a window of the newest
 * (LIMIT + 1) × WINDOW_FACTOR fills the first pages but not the last), "narwhal" in 1 in 37 (never fills one).
 */
const rows: Row[] = Array.from({ length: COUNT }, (_, i) => ({
  id: `w${String(i).padStart(3, "0")}`,
  i,
  input: [
    `Question ${i}`,
    i % 10 !== 0 ? "about the LightHouse" : "about nothing",
    i % 8 === 0 ? "by ferry" : "",
    i % 37 === 0 ? "with a narwhal" : "",
  ].join(" "),
  // A permutation of 1..200, so the latency sort has no ties.
  latency: ((i * 37) % COUNT) + 1,
  meta: {
    plan: ["pro", "free", "team"][i % 3],
    cohort: i === 150 ? "vip" : "standard",
    score: i % 4 === 0 ? 1.5 : i % 4 === 1 ? "1.5" : 2,
    beta: i % 6 === 0,
  },
}));

const newestFirst = (a: Row, b: Row) => b.i - a.i;
const slowestFirst = (a: Row, b: Row) => b.latency - a.latency;

describe.each(await storeEngines())("row-filtered task pages on $name", (engine) => {
  let h: Harness;

  /** Every page of a listing, followed by its cursor, concatenated. */
  const allPages = async (query: string) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages <= COUNT; pages++) {
      const url: string = `/projects/${h.projectId}/tasks?limit=${LIMIT}&${query}${cursor ? `&cursor=${cursor}` : ""}`;
      const reply = await h.get<{ tasks: Array<{ id: string }>; nextCursor: string | null }>(url);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      seen.push(...reply.body.tasks.map((t) => t.id));
      cursor = reply.body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error(`${query}: more pages than tasks`);
  };
  const expected = (keep: (r: Row) => boolean, order = newestFirst) =>
    rows
      .filter(keep)
      .sort(order)
      .map((r) => r.id);

  beforeAll(async () => {
    h = await startHarness(engine);
    const events = rows.map((r) => ({
      task_id: r.id,
      input: r.input,
      output: `Answer ${r.i}`,
      created_at: BASE_S + r.i * 60,
      latency_ms: r.latency,
      metadata: r.meta,
    }));
    for (let i = 0; i < events.length; i += 100) await h.log(events.slice(i, i + 100));
  });
  afterAll(() => h?.close());

  it("the test data has words that fill the first window and words that do not", () => {
    const firstWindow = rows.slice(-(LIMIT + 1) * WINDOW_FACTOR);
    expect(firstWindow.filter((r) => r.input.includes("ferry")).length).toBeGreaterThan(LIMIT);
    expect(firstWindow.filter((r) => r.input.includes("narwhal")).length).toBeLessThanOrEqual(LIMIT);
  });

  it("pages a common, a middling and a rare word exactly, newest first", async () => {
    expect(await allPages("q=lighthouse")).toEqual(expected((r) => r.input.includes("LightHouse")));
    expect(await allPages("q=ferry")).toEqual(expected((r) => r.input.includes("ferry")));
    expect(await allPages("q=NARWHAL")).toEqual(expected((r) => r.input.includes("narwhal")));
  });

  it("pages a search sorted by latency, both ways, with the other filters", async () => {
    const common = (r: Row) => r.input.includes("LightHouse");
    expect(await allPages("q=lighthouse&sort=-latency_ms")).toEqual(expected(common, slowestFirst));
    expect(await allPages("q=ferry&sort=latency_ms")).toEqual(
      expected(
        (r) => r.input.includes("ferry"),
        (a, b) => a.latency - b.latency,
      ),
    );
    expect(await allPages(`q=lighthouse&meta=${encodeURIComponent("plan=team")}&sort=-latency_ms`)).toEqual(
      expected((r) => common(r) && r.meta.plan === "team", slowestFirst),
    );
  });

  it("pages common and rare metadata values exactly", async () => {
    expect(await allPages(`meta=${encodeURIComponent("plan=pro")}`)).toEqual(
      expected((r) => r.meta.plan === "pro"),
    );
    expect(await allPages(`meta=${encodeURIComponent("cohort=vip")}`)).toEqual(["w150"]);
    expect(await allPages(`meta=${encodeURIComponent("beta=true")}`)).toEqual(
      expected((r) => r.meta.beta === true),
    );
  });

  it("matches a metadata value's text exactly: a number and its string alike, no numeric equality", async () => {
    expect(await allPages(`meta=${encodeURIComponent("score=1.5")}`)).toEqual(
      expected((r) => r.meta.score === 1.5 || r.meta.score === "1.5"),
    );
    expect(await allPages(`meta=${encodeURIComponent("score=2")}`)).toEqual(
      expected((r) => r.meta.score === 2),
    );
    expect(await allPages(`meta=${encodeURIComponent("score=1.50")}`)).toEqual([]);
    expect(await allPages(`meta=${encodeURIComponent("score=2.0")}`)).toEqual([]);
    expect(await allPages(`meta=${encodeURIComponent("beta=1")}`)).toEqual([]);
  });

  it("exports a searched view whole, newest first", async () => {
    const reply = await h.app.inject({
      method: "GET",
      url: `/api/projects/${h.projectId}/export?format=jsonl&q=lighthouse`,
      headers: { cookie: h.cookie },
    });
    expect(reply.statusCode).toBe(200);
    const ids = reply.body
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(expected((r) => r.input.includes("LightHouse")));
  });

  it("answers 400, not 500, for a NUL in a filter and for a cursor that is not integers", async () => {
    const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");
    for (const [query, field] of [
      ["q=cathedral%00", "q"],
      ["q=%00", "q"],
      [`meta=${encodeURIComponent("plan=pro\u0000")}`, "meta"],
      ["user_id=a%00b", "user_id"],
      [`cursor=${cursorOf([1.5, 2, "w001"])}`, "cursor"],
      [`cursor=${cursorOf([1e300, 2, "w001"])}`, "cursor"],
      [`sort=-latency_ms&cursor=${cursorOf([10, 2.5, 3, "w001"])}`, "cursor"],
    ] as const) {
      for (const path of ["tasks", "overview", "users"]) {
        if (field === "cursor" && path !== "tasks") continue;
        const reply = await h.get<{ detail: string }>(`/projects/${h.projectId}/${path}?${query}`);
        expect(reply.status, `${path}?${query}`).toBe(400);
        expect(reply.body.detail).toContain(field);
      }
    }
  });
});

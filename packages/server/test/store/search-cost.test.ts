/**
 * Issue 13, item 4: a SQLite search names each distinct trigram once (an AND of posting lists), then checks the
 * exact text; a phrase of 500 identical letters no longer costs (trigrams x positions) per row. Results stay those
 * of a case-insensitive substring search.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ftsCandidates } from "../../src/store/queries.js";
import { testApp, type TestApp } from "../helpers/app.js";

describe("bounded SQLite search", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    const res = await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        { task_id: "run", input: `${"a".repeat(499)}b`.repeat(20) },
        { task_id: "long-run", input: "a".repeat(2_000) },
        { task_id: "mixed", input: "Hello World", output: "the QUICK fox" },
      ],
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it("asks FTS5 for each distinct trigram once, at most 16", () => {
    expect(ftsCandidates("a".repeat(500))).toBe('"aaa"');
    expect(ftsCandidates('ab"cd')).toBe('"ab""" AND "b""c" AND """cd"');
    expect(ftsCandidates("abcdefghijklmnopqrstuvwxyz").split(" AND ")).toHaveLength(16);
  });

  it("still finds exact, case-insensitive substrings of input or output", async () => {
    const ids = async (search: string) =>
      (await t.store.listTasks(t.a.id, { search }, 10)).map((task) => task.id).sort();
    expect(await ids("a".repeat(500))).toEqual(["long-run"]);
    expect(await ids("a".repeat(499) + "b")).toEqual(["run"]);
    expect(await ids("WORLD")).toEqual(["mixed"]);
    expect(await ids("quick fox")).toEqual(["mixed"]);
    expect(await ids("fox quick")).toEqual([]);
  });
});

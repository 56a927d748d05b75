/**
 * Issue 13, items 10, 11 and 12, on both engines: every number is checked against its column's range (a per-event
 * error, never a failed batch), sums never overflow, and a batch within the 10,000-event limit passes however many
 * sessions it spreads over.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

describe.each(await storeEngines())("number ranges on $name", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h.close());

  const log = (events: unknown[]) =>
    h.app.inject({
      method: "POST",
      url: `/v2/log/${h.projectId}`,
      headers: { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json" },
      payload: JSON.stringify({ batched_log_events: events }),
    });

  it("refuses out-of-range numbers per event and stores the good events of the batch", async () => {
    const res = await log([
      { input: "good", task_id: "range-good", session_id: "range-s", total_tokens: 1_000_000_000 },
      { input: "x", task_id: "huge-update", last_update: 2 ** 63 },
      { input: "x", task_id: "huge-tokens", session_id: "range-s", total_tokens: 9007199254740991 },
      { input: "x", task_id: "huge-usage", usage: { prompt_tokens: 1e15 } },
      { input: "x", task_id: "huge-latency", metadata: { latency_ms: 1e15 } },
      {
        input: "x",
        task_id: "many-keys",
        metadata: Object.fromEntries([...Array(600)].map((_, i) => [`k${i}`, i])),
      },
    ]);
    expect(res.statusCode).toBe(200);
    const errors = res.json().logged_events.map((e: { error_in_log?: string }) => e.error_in_log ?? null);
    expect(errors[0]).toBeNull();
    expect(errors.slice(1)).toEqual([
      "last_update: must be a time before the year 10000 (unix seconds or ms)",
      "metadata.total_tokens: must be at most 1000000000",
      "metadata.usage.prompt_tokens: must be at most 1000000000",
      "metadata.latency_ms: must be at most 10000000000 ms",
      "metadata: 600 keys is over the limit of 512",
    ]);
    expect(await h.store.getTask(h.projectId, "range-good")).not.toBeNull();
    expect(await h.store.getTask(h.projectId, "huge-tokens")).toBeNull();
  });

  it("refuses an owner's metadata edit past the ranges with a 422 naming the field", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v2/tasks/range-good",
      headers: { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json" },
      payload: JSON.stringify({ metadata: { prompt_tokens: 1e12 } }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toBe("metadata.prompt_tokens: must be at most 1000000000");
  });

  it("keeps the overview and users pages answering when stored token totals pass 64 bits", async () => {
    // Rows from before the bounds: 1,100 tasks of 2^53 - 1 tokens and latency, written straight to the table.
    const base = (await h.store.getTask(h.projectId, "range-good"))!;
    const rows = [...Array(1_100)].map((_, i) => ({
      ...base,
      id: `old-${i}`,
      user_id: "heavy",
      total_tokens: Number.MAX_SAFE_INTEGER,
      latency_ms: Number.MAX_SAFE_INTEGER,
    }));
    for (let i = 0; i < rows.length; i += 100) {
      await h.store.db
        .insertInto("tasks")
        .values(rows.slice(i, i + 100))
        .execute();
    }
    // Written straight to the table, these rows bypass the aggregates kept at ingest: a view filtered on one
    // user reads the tasks themselves, where the sums must not overflow.
    const overview = await h.get<{ totals: { tokens: number } }>(
      `/projects/${h.projectId}/overview?range=all&user_id=heavy`,
    );
    expect(overview.body).toHaveProperty("totals");
    expect(overview.status).toBe(200);
    expect(overview.body.totals.tokens).toBeGreaterThan(2 ** 63);
    const users = await h.get(`/projects/${h.projectId}/users?range=all&user_id=heavy`);
    expect(users.status).toBe(200);
  });

  it("stores a 10,000-event batch spread over 10,000 sessions", { timeout: 120_000 }, async () => {
    const events = [...Array(10_000)].map((_, i) => ({
      input: `spread ${i}`,
      task_id: `spread-${i}`,
      session_id: `spread-session-${i}`,
    }));
    const res = await log(events);
    expect(res.statusCode).toBe(200);
    expect(res.json().logged_events.filter((e: { error_in_log?: string }) => e.error_in_log)).toEqual([]);
    expect(await h.store.getSession(h.projectId, "spread-session-9999")).not.toBeNull();
  });
});

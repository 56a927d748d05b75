/**
 * Cost end to end on both engines: priced at ingest, shown in every dashboard reply and in the export; a
 * project price for an unknown model, then its removal, re-prices past tasks through the durable sweep, and the
 * aggregates stay exactly consistent with the tasks throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAggregates } from "../../src/aggregates/index.js";
import { repriceAll, repriceStep } from "../../src/pricing/reprice.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

const AT_S = 1_790_000_000;

describe.each(await storeEngines())("prices on $name", (engine) => {
  let h: Harness;
  const store = () => h.store as KyselyStore;
  const expectConsistent = async () => expect((await checkAggregates(store().db)).differences).toEqual([]);

  beforeAll(async () => {
    h = await startHarness(engine);
    await h.log([
      // gpt-4o: 600 × 2.5 + 400 × 1.25 + 500 × 10 = 7,000 µ$.
      {
        task_id: "p1",
        session_id: "s",
        input: "hi",
        output: "hello",
        created_at: AT_S,
        model: "gpt-4o",
        prompt_tokens: 1000,
        completion_tokens: 500,
        cache_read_tokens: 400,
        user_id: "ann",
        version_id: "v1",
      },
      // A fine-tune the catalogue does not know: no price until the project sets one.
      {
        task_id: "p2",
        session_id: "s",
        input: "again",
        output: "sure",
        created_at: AT_S + 60,
        model: "ft:mine",
        prompt_tokens: 1000,
        completion_tokens: 1000,
        user_id: "ann",
        version_id: "v1",
      },
      // Reported by the client: kept as it is.
      { task_id: "p3", input: "x", created_at: AT_S + 120, model: "gpt-4o", prompt_tokens: 1, cost_usd: 0.5 },
    ]);
  });
  afterAll(() => h?.close());

  it("prices at ingest and shows cost in tasks, detail, session, user, overview, A/B and export", async () => {
    const base = `/projects/${h.projectId}`;
    const list = await h.get<{
      tasks: Array<{ id: string; cost_usd: number | null; cost_source: string | null }>;
    }>(`${base}/tasks`);
    const byId = new Map(list.body.tasks.map((t) => [t.id, t]));
    expect(byId.get("p1")?.cost_usd).toBeCloseTo(0.007, 12);
    expect(byId.get("p1")?.cost_source).toBe("estimated");
    expect(byId.get("p2")).toMatchObject({ cost_usd: null, cost_source: null });
    expect(byId.get("p3")).toMatchObject({ cost_usd: 0.5, cost_source: "reported" });
    const detail = await h.get<{ task: { cost_prices: string } }>(`${base}/tasks/p1`);
    expect(JSON.parse(detail.body.task.cost_prices)).toMatchObject({ source: "catalogue", model: "gpt-4o" });
    const session = await h.get<{ session: { cost_usd: number } }>(`${base}/sessions/s`);
    expect(session.body.session.cost_usd).toBeCloseTo(0.007, 12);
    const users = await h.get<{ users: Array<{ user_id: string; cost_usd: number }> }>(`${base}/users`);
    expect(users.body.users[0]?.cost_usd).toBeCloseTo(0.007, 12);
    const overview = await h.get<{
      totals: { cost_usd: number; cost_tasks: number };
      byModel: Array<{ key: string; cost_usd: number }>;
      days: Array<{ cost_usd: number }>;
    }>(`${base}/overview?range=all`);
    expect(overview.body.totals.cost_usd).toBeCloseTo(0.507, 12);
    expect(overview.body.totals.cost_tasks).toBe(2);
    expect(overview.body.byModel.find((m) => m.key === "gpt-4o")?.cost_usd).toBeCloseTo(0.507, 12);
    expect(overview.body.days[0]?.cost_usd).toBeCloseTo(0.507, 12);
    const ab = await h.get<{ versions: Array<{ cost_usd: number }> }>(`${base}/ab?versions=v1`);
    expect(ab.body.versions[0]?.cost_usd).toBeCloseTo(0.007, 12);
    const csv = await h.app.inject({
      method: "GET",
      url: `/api${base}/export?format=csv`,
      headers: { cookie: h.cookie },
    });
    const [header, ...lines] = csv.body.trim().split("\r\n").map(csvFields);
    const column = (name: string) => header!.indexOf(name);
    expect(column("cost_usd")).toBeGreaterThan(-1);
    const p3 = lines.find((fields) => fields[0] === "p3");
    expect([p3?.[column("cost_usd")], p3?.[column("cost_source")]]).toEqual(["0.5", "reported"]);
    await expectConsistent();
  });

  it("lists unknown models, re-prices past tasks after a project price, and again after its removal", async () => {
    const base = `/projects/${h.projectId}`;
    const unknown = await h.get<{ models: unknown[] }>(`${base}/prices/unknown-models`);
    expect(unknown.body.models).toEqual([{ model: "ft:mine", tasks: 1 }]);

    const bad = await h.send<{ detail: string }>("PUT", `${base}/prices`, {
      model: "ft:mine",
      input_mtok: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("input_mtok");

    const put = await h.send("PUT", `${base}/prices`, { model: "ft:mine", input_mtok: 3, output_mtok: 12 });
    expect(put.status).toBe(200);
    const pending = await h.get<{ prices: Array<{ model: string }>; repricing: unknown[] }>(`${base}/prices`);
    expect(pending.body.prices.map((p) => p.model)).toEqual(["ft:mine"]);
    expect(pending.body.repricing).toEqual(["ft:mine"]);
    await repriceAll(store());
    // 1000 × 3 + 1000 × 12 = 15,000 µ$.
    expect((await h.store.getTask(h.projectId, "p2"))?.cost_usd).toBeCloseTo(0.015, 12);
    expect((await h.get<{ repricing: unknown[] }>(`${base}/prices`)).body.repricing).toEqual([]);
    expect((await h.get<{ models: unknown[] }>(`${base}/prices/unknown-models`)).body.models).toEqual([]);
    const overview = await h.get<{ totals: { cost_usd: number } }>(`${base}/overview?range=all`);
    expect(overview.body.totals.cost_usd).toBeCloseTo(0.522, 12);
    await expectConsistent();

    const removed = await h.app.inject({
      method: "DELETE",
      url: `/api${base}/prices?model=${encodeURIComponent("ft:mine")}`,
      headers: { cookie: h.cookie },
    });
    expect(removed.statusCode).toBe(200);
    await repriceAll(store());
    expect((await h.store.getTask(h.projectId, "p2"))?.cost_usd).toBeNull();
    await expectConsistent();
  });

  it("re-prices in chunks whose position is kept in the store, so a restart resumes the sweep", async () => {
    const events = Array.from({ length: 1100 }, (_, i) => ({
      task_id: `bulk${i}`,
      input: "q",
      created_at: AT_S + 1000 + i,
      model: "ft:bulk",
      prompt_tokens: 1_000_000,
      completion_tokens: 0,
    }));
    for (let i = 0; i < events.length; i += 500) await h.log(events.slice(i, i + 500));
    await h.send("PUT", `/projects/${h.projectId}/prices`, {
      model: "ft:bulk",
      input_mtok: 1,
      output_mtok: 1,
    });
    expect(await repriceStep(store())).toBe(true);
    const marker = await store()
      .db.selectFrom("settings")
      .select("value")
      .where("key", "like", "pricing.reprice:%")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(marker.value).after).not.toBeNull();
    const priced = async () =>
      (
        await store().db.selectFrom("tasks").select("cost_usd").where("model", "=", "ft:bulk").execute()
      ).filter((row) => row.cost_usd === 1).length;
    expect(await priced()).toBe(500);
    await expectConsistent();
    await repriceAll(store());
    expect(await priced()).toBe(1100);
    await expectConsistent();
  });
});

/** The fields of one CSV line (RFC 4180 quoting; the export writes no line breaks inside a field here). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === "," && !quoted) {
      fields.push(field);
      field = "";
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}

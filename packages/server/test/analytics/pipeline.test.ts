/**
 * The analytics runner on both engines, in-process: new tasks get language, sentiment and one detection per
 * task × definition; a changed definition detects again under its new version; a back-fill over a filtered range
 * leaves exactly one detection per task × definition and counts its progress to the total.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createAnalyticsRunner,
  createBackfill,
  createDefinition,
  updateDefinition,
} from "../../src/analytics/index.js";
import { sessionAnalytics } from "../../src/analytics/reads.js";
import type { JobRunner } from "../../src/jobs/index.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { event } from "../helpers/events.js";
import { storeEngines, type TestDatabase } from "../helpers/postgres.js";

const FAST = { runner: { pollMs: 5, backoffMs: 5 }, scanEveryMs: 10, scan: { settleMs: 0 } };

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(await storeEngines())("analytics pipeline on $name", (engine) => {
  let database: TestDatabase;
  let store: KyselyStore;
  let runner: JobRunner;
  let projectId: string;

  beforeEach(async () => {
    database = await engine.create();
    store = await openStore(database.url);
    projectId = (await store.createProject("P")).id;
    runner = createAnalyticsRunner(store, FAST);
  });
  afterEach(async () => {
    await runner.stop();
    await store.close();
    await database.drop();
  });

  const count = async (table: "detections" | "task_analytics", where: Record<string, unknown> = {}) => {
    let query = store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("project_id", "=", projectId);
    for (const [column, value] of Object.entries(where))
      query = query.where(column as "project_id", "=", value as string);
    return Number((await query.executeTakeFirst())?.n ?? 0);
  };

  it("analyses every new task: language, sentiment and each definition, once", async () => {
    const human = await createDefinition(store.db, projectId, {
      name: "Human requested",
      description: "",
      scope: "input",
      detector: "keywords",
      config: { keywords: ["human"] },
    });
    const refund = await createDefinition(store.db, projectId, {
      name: "Refund",
      description: "",
      scope: "both",
      detector: "regex",
      config: { pattern: "refund(ed)?" },
    });
    await store.ingest(projectId, [
      event("t1", { input: "I want to talk to a human, this is terrible", session_id: "s1" }),
      event("t2", { input: "Quiero un reembolso", output: "Your refund is on its way", session_id: "s1" }),
      event("t3", { input: "Thank you, that was wonderful!" }),
    ]);
    runner.start();
    await until(async () => (await count("detections")) === 6 && (await count("task_analytics")) === 3);

    const analytics = await store.db
      .selectFrom("task_analytics")
      .select(["task_id", "language", "sentiment_label", "session_id"])
      .where("project_id", "=", projectId)
      .orderBy("task_id")
      .execute();
    expect(analytics).toEqual([
      { task_id: "t1", language: "en", sentiment_label: "negative", session_id: "s1" },
      { task_id: "t2", language: "es", sentiment_label: "neutral", session_id: "s1" },
      { task_id: "t3", language: "en", sentiment_label: "positive", session_id: null },
    ]);
    const present = await store.db
      .selectFrom("detections")
      .select(["task_id", "definition_id", "label"])
      .where("project_id", "=", projectId)
      .where("present", "=", 1)
      .orderBy("task_id")
      .execute();
    expect(present).toEqual([
      { task_id: "t1", definition_id: human.id, label: "human" },
      { task_id: "t2", definition_id: refund.id, label: "refund" },
    ]);

    // The session rolls its tasks up: most common language and label (ties to the first in order), average score.
    const rows = await store.db
      .selectFrom("task_analytics")
      .select("sentiment_score")
      .where("session_id", "=", "s1")
      .execute();
    const average = rows.reduce((sum, row) => sum + Number(row.sentiment_score), 0) / rows.length;
    const s1 = (await sessionAnalytics(store.db, projectId, ["s1"])).get("s1")!;
    expect(s1.language).toBe("en");
    expect(s1.sentiment).toEqual({ average, label: "negative" });
    expect(s1.task_events.map((e) => [e.name, e.tasks]).sort()).toEqual([
      ["Human requested", 1],
      ["Refund", 1],
    ]);

    // A changed keyword list is a new version: detected again, the old version's rows stay.
    await updateDefinition(store.db, human, { config: { keywords: ["terrible"] } });
    await store.ingest(projectId, [event("t4", { input: "terrible service" })]);
    await until(async () => (await count("detections", { definition_id: human.id })) === 4);
    const t4 = await store.db
      .selectFrom("detections")
      .select(["definition_version", "present"])
      .where("task_id", "=", "t4")
      .where("definition_id", "=", human.id)
      .execute();
    expect(t4).toEqual([{ definition_version: 2, present: 1 }]);
  });

  it("back-fills a filtered range of past tasks with exactly one detection per task and definition", async () => {
    const tasks = Array.from({ length: 1_234 }, (_, i) =>
      event(`past-${String(i).padStart(5, "0")}`, {
        input: i % 3 === 0 ? "please get me a human" : "what is the price?",
        created_at: 1_700_000_000_000 + i * 1_000,
        metadata: { version_id: i % 2 === 0 ? "v1" : "v2" },
      }),
    );
    await store.ingest(projectId, tasks);
    const definition = await createDefinition(store.db, projectId, {
      name: "Human",
      description: "",
      scope: "input",
      detector: "keywords",
      config: { keywords: ["human"] },
    });
    const from = 1_700_000_000_000 + 100 * 1_000;
    const id = await createBackfill(
      store.db,
      projectId,
      [definition.id],
      { from, versionId: "v1" },
      (jobs, trx) => runner.enqueue(jobs, trx),
    );
    runner.start();
    await until(async () => {
      const row = await store.db.selectFrom("backfills").selectAll().where("id", "=", id).executeTakeFirst();
      return row?.status === "done";
    });
    const backfill = await store.db
      .selectFrom("backfills")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const expected = tasks.filter((_, i) => i >= 100 && i % 2 === 0);
    expect(backfill.total).toBe(expected.length);
    expect(backfill.done).toBe(expected.length);
    // The always-on pass also reaches every task; detections stay one per task × definition × version.
    await until(async () => (await count("detections")) === tasks.length);
    const duplicates = await store.db
      .selectFrom("detections")
      .select(["task_id", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("task_id")
      .having((eb) => eb.fn.countAll(), ">", 1)
      .execute();
    expect(duplicates).toEqual([]);
    const humans = await count("detections", { present: 1 });
    expect(humans).toBe(tasks.filter((_, i) => i % 3 === 0).length);
  });
});

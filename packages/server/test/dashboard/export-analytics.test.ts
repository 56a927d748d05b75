/**
 * The export carries each task's analytics, on both engines: language, sentiment label and score, and the events
 * as the team sees them (a removed detection gone, a marked miss present) in CSV; the task list's `analytics`
 * (every badge with its review) in JSONL; empty cells for a task the runner has not analysed yet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsRunner } from "../../src/analytics/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "./harness.js";

const BASE_S = 1_790_000_000;

/** CSV records (RFC 4180: quoted cells with commas, quotes and newlines). */
function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      i++;
    } else cell += c;
  }
  const [header = [], ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

interface ApiTask {
  id: string;
  analytics: {
    language: string | null;
    sentiment: { label: string; score: number } | null;
    events: Array<{ event_id: string; name: string; present: boolean; review: string | null }>;
  };
}

describe.each(await storeEngines())("export with analytics on $name", (engine) => {
  let h: Harness;
  let eventId: string;
  let listed: Map<string, ApiTask>;

  beforeAll(async () => {
    h = await startHarness(engine);
    const created = await h.send<{ id: string }>("POST", `/projects/${h.projectId}/events`, {
      name: "Refund",
      detector: "keywords",
      config: { keywords: ["refund"] },
    });
    eventId = created.body.id;
    await h.log([
      {
        task_id: "e1",
        input: "I want a refund, this is terrible and awful",
        output: "ok",
        created_at: BASE_S + 1,
      },
      {
        task_id: "e2",
        input: "Merci beaucoup, le service était vraiment rapide aujourd'hui",
        output: "De rien",
        created_at: BASE_S + 2,
      },
      { task_id: "e3", input: "Can I please get my money back?", output: "ok", created_at: BASE_S + 3 },
      { task_id: "e4", input: "A refund of the refund fee", output: "ok", created_at: BASE_S + 4 },
    ]);
    const runner = createAnalyticsRunner(h.store as KyselyStore, {
      runner: { pollMs: 5 },
      scanEveryMs: 10,
      scan: { settleMs: 0 },
    });
    runner.start();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const analysed = await h.store.db
        .selectFrom("detections")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("project_id", "=", h.projectId)
        .executeTakeFirstOrThrow();
      if (Number(analysed.n) === 4) break;
      if (Date.now() > deadline) throw new Error("the runner did not analyse the four tasks in time");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runner.stop();
    // The team's word: e3 is a miss, e4's detection is wrong.
    const review = async (task: string, action: string) =>
      expect(
        (await h.send("POST", `/projects/${h.projectId}/tasks/${task}/review`, { event_id: eventId, action }))
          .status,
      ).toBe(200);
    await review("e3", "correct");
    await review("e4", "remove");
    // Logged after the runner stopped: not analysed.
    await h.log([{ task_id: "e5", input: "A refund, later", output: "ok", created_at: BASE_S + 5 }]);
    const list = await h.get<{ tasks: ApiTask[] }>(`/projects/${h.projectId}/tasks?range=all&limit=50`);
    listed = new Map(list.body.tasks.map((task) => [task.id, task]));
  });
  afterAll(() => h.close());

  const exportText = async (format: "csv" | "jsonl") => {
    const reply = await h.app.inject({
      method: "GET",
      url: `/api/projects/${h.projectId}/export?range=all&format=${format}`,
      headers: { cookie: h.cookie },
    });
    expect(reply.statusCode).toBe(200);
    return reply.body;
  };

  it("adds language, sentiment and the reviewed events to each CSV row", async () => {
    const rows = new Map(parseCsv(await exportText("csv")).map((row) => [row.id, row]));
    expect([...rows.keys()]).toEqual(["e5", "e4", "e3", "e2", "e1"]);
    const refund = (label: string) =>
      JSON.stringify([{ event_id: eventId, name: "Refund", label, score: null }]);
    const e1 = rows.get("e1")!;
    expect(e1).toMatchObject({ language: "en", sentiment_label: "negative", events: refund("refund") });
    expect(Number(e1.sentiment_score)).toBeLessThan(0);
    expect(rows.get("e2")).toMatchObject({ language: "fr", events: "[]" });
    // A marked miss is present (with no label); a removed detection is gone.
    expect(rows.get("e3")!.events).toBe(
      JSON.stringify([{ event_id: eventId, name: "Refund", label: null, score: null }]),
    );
    expect(rows.get("e4")!.events).toBe("[]");
    expect(rows.get("e5")).toMatchObject({
      language: "",
      sentiment_label: "",
      sentiment_score: "",
      events: "[]",
    });
    // The same values the task list shows.
    for (const id of ["e1", "e2", "e3", "e4"]) {
      const shown = listed.get(id)!.analytics;
      const row = rows.get(id)!;
      expect([id, row.language, row.sentiment_label, Number(row.sentiment_score)]).toEqual([
        id,
        shown.language ?? "",
        shown.sentiment?.label ?? "",
        shown.sentiment?.score ?? 0,
      ]);
    }
  });

  it("adds the task list's analytics to each JSONL line", async () => {
    const lines = (await exportText("jsonl"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as ApiTask);
    expect(lines.map((task) => task.id)).toEqual(["e5", "e4", "e3", "e2", "e1"]);
    for (const task of lines)
      expect([task.id, task.analytics]).toEqual([task.id, listed.get(task.id)!.analytics]);
    const byId = new Map(lines.map((task) => [task.id, task]));
    expect(byId.get("e4")!.analytics.events).toEqual([
      expect.objectContaining({ event_id: eventId, present: true, review: "removed" }),
    ]);
    expect(byId.get("e5")!.analytics).toEqual({ language: null, sentiment: null, events: [] });
  });
});

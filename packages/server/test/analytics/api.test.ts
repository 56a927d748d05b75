/**
 * The analytics API on both engines, through the real collector with the runner beside it: event definitions
 * (create, template, validation, version bump, delete), badges on task rows, filters by event, language and
 * sentiment, reviews moving precision and recall, a back-fill's progress, the A/B comparison, and a model
 * endpoint key that no reply or export ever carries.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAnalyticsRunner } from "../../src/analytics/index.js";
import type { JobRunner } from "../../src/jobs/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { startHarness, type Harness } from "../dashboard/harness.js";
import { storeEngines } from "../helpers/postgres.js";

const SECRET = "sk-test-NEVER-SHOW-7f3a9c";
const BASE = 1_793_491_200;

async function until<T>(probe: () => Promise<T | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Row {
  id: string;
  analytics?: {
    language: string | null;
    sentiment: { label: string } | null;
    events: Array<{ event_id: string; label: string | null }>;
  };
}

describe.each(await storeEngines())("analytics API on $name", (engine) => {
  let h: Harness;
  let runner: JobRunner;
  const base = () => `/projects/${h.projectId}`;
  const call = async (method: "PATCH" | "DELETE", path: string, payload?: unknown) => {
    const reply = await h.app.inject({
      method,
      url: `/api${path}`,
      headers: { cookie: h.cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: reply.statusCode, body: reply.body === "" ? null : (reply.json() as unknown) };
  };

  beforeEach(async () => {
    h = await startHarness(engine);
    runner = createAnalyticsRunner(h.store as KyselyStore, {
      runner: { pollMs: 5, backoffMs: 5 },
      scanEveryMs: 10,
      scan: { settleMs: 0 },
    });
  });
  afterEach(async () => {
    await runner.stop();
    await h.close();
  });

  it("creates, validates, versions and deletes definitions; LLM ones are paused without an endpoint", async () => {
    const created = await h.send<{ id: string; version: number; needs_model: boolean }>(
      "POST",
      `${base()}/events`,
      {
        name: "Refund",
        detector: "keywords",
        config: { keywords: ["refund"] },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, needs_model: false });

    const bad = await h.send<{ detail: string }>("POST", `${base()}/events`, {
      name: "Bad",
      detector: "regex",
      config: { pattern: "(a)\\1" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^config\.pattern: not a valid RE2 pattern/);
    const empty = await h.send<{ detail: string }>("POST", `${base()}/events`, {
      name: "x",
      detector: "keywords",
    });
    expect(empty.body.detail).toMatch(/^config\.keywords:/);
    const noName = await h.send<{ detail: string }>("POST", `${base()}/events`, { detector: "keywords" });
    expect(noName.body.detail).toMatch(/invalid field name/);

    const fromTemplate = await h.send<{ detector: string; scope: string }>("POST", `${base()}/events`, {
      template: "frustrated_user",
    });
    expect(fromTemplate.status).toBe(201);
    const list = await h.get<{
      events: Array<{ name: string; status: string }>;
      templates: Array<{ id: string; needs_model: boolean }>;
    }>(`${base()}/events`);
    expect(list.body.events.map((e) => [e.name, e.status])).toEqual([
      ["Refund", "active"],
      ["Frustrated user", "paused"],
    ]);
    expect(list.body.templates.map((t) => [t.id, t.needs_model])).toEqual([
      ["human_requested", false],
      ["frustrated_user", true],
      ["assistant_refuses", false],
      ["verbose_answer", true],
      ["issue_resolved", true],
      ["user_intent", true],
    ]);

    const renamed = await call("PATCH", `${base()}/events/${created.body.id}`, { name: "Refunds" });
    expect(renamed.body).toMatchObject({ name: "Refunds", version: 1 });
    const changed = await call("PATCH", `${base()}/events/${created.body.id}`, {
      config: { keywords: ["money back"] },
    });
    expect(changed.body).toMatchObject({ version: 2 });
    // The dashboard's edit form resends every field: unchanged ones (config keys in any order) keep the version.
    const regex = await h.send<{ id: string }>("POST", `${base()}/events`, {
      name: "Agent",
      detector: "regex",
      config: { pattern: "\\bagent\\b", caseInsensitive: false },
    });
    const resent = await call("PATCH", `${base()}/events/${regex.body.id}`, {
      name: "Agent",
      description: "",
      scope: "input",
      detector: "regex",
      config: { caseInsensitive: false, pattern: "\\bagent\\b" },
      webhook_url: null,
      active: false,
    });
    expect(resent.body).toMatchObject({ version: 1, active: false });
    const refined = await call("PATCH", `${base()}/events/${regex.body.id}`, {
      config: { caseInsensitive: true, pattern: "\\bagent\\b" },
    });
    expect(refined.body).toMatchObject({ version: 2 });
    expect((await call("DELETE", `${base()}/events/${regex.body.id}`)).status).toBe(204);
    expect((await call("DELETE", `${base()}/events/${created.body.id}`)).status).toBe(204);
    expect((await call("DELETE", `${base()}/events/${created.body.id}`)).status).toBe(404);
  });

  it("shows badges on new tasks, filters by them, and moves precision and recall with reviews", async () => {
    const event = (
      await h.send<{ id: string }>("POST", `${base()}/events`, {
        name: "Human requested",
        detector: "keywords",
        config: { keywords: ["human", "person"] },
      })
    ).body;
    runner.start();
    await h.log([
      {
        task_id: "a",
        input: "I want a human now, this is awful",
        output: "ok",
        created_at: BASE,
        session_id: "s-a",
      },
      {
        task_id: "b",
        input: "Can a person call me back?",
        output: "ok",
        created_at: BASE + 1,
        session_id: "s-a",
      },
      {
        task_id: "c",
        input: "Is this made by a human being? Great work, thanks!",
        output: "ok",
        created_at: BASE + 2,
      },
      {
        task_id: "d",
        input: "Je veux parler à quelqu'un de votre équipe",
        output: "ok",
        created_at: BASE + 3,
        session_id: "s-d",
      },
    ]);
    const rows = await until(async () => {
      const page = await h.get<{ tasks: Row[] }>(`${base()}/tasks?range=all`);
      return page.body.tasks.every((task) => task.analytics?.language) ? page.body.tasks : false;
    });
    const byId = Object.fromEntries(rows.map((row) => [row.id, row.analytics!]));
    expect(byId.a!.events.map((e) => e.label)).toEqual(["human"]);
    expect(byId.b!.events.map((e) => e.label)).toEqual(["person"]);
    expect(byId.d!.events).toEqual([]);
    expect(byId.d!.language).toBe("fr");
    expect(byId.a!.sentiment?.label).toBe("negative");
    expect(byId.c!.sentiment?.label).toBe("positive");

    const ids = async (query: string) =>
      (await h.get<{ tasks: Row[] }>(`${base()}/tasks?range=all&${query}`)).body.tasks
        .map((t) => t.id)
        .sort();
    expect(await ids(`event=${event.id}`)).toEqual(["a", "b", "c"]);
    expect(await ids(`event=${event.id}&event_state=absent`)).toEqual(["d"]);
    expect(await ids(`event=${event.id}&event_label=person`)).toEqual(["b"]);
    expect(await ids("language=fr")).toEqual(["d"]);
    expect(await ids("sentiment=negative")).toEqual(["a"]);
    const sessions = async (query: string) =>
      (
        await h.get<{ sessions: Array<{ id: string }> }>(`${base()}/sessions?range=all&${query}`)
      ).body.sessions
        .map((s) => s.id)
        .sort();
    expect(await sessions(`event=${event.id}`)).toEqual(["s-a"]);
    expect(await sessions(`event=${event.id}&event_state=absent`)).toEqual(["s-d"]);
    expect(await sessions("language=fr")).toEqual(["s-d"]);
    expect(await sessions("sentiment=negative")).toEqual(["s-a"]);
    const badFilter = await h.get<{ detail: string }>(`${base()}/tasks?language=French`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.detail).toMatch(/language/);

    type Metrics = {
      metrics: Array<{
        precision: number | null;
        recall: number | null;
        f1: number | null;
        corrections: number;
      }>;
    };
    const metrics = async () => (await h.get<Metrics>(`${base()}/analytics/metrics`)).body.metrics[0]!;
    expect(await metrics()).toMatchObject({ precision: null, recall: null, corrections: 0 });
    const review = (task: string, action: string) =>
      h.send("POST", `${base()}/tasks/${task}/review`, { event_id: event.id, action });
    expect((await review("a", "confirm")).status).toBe(200);
    expect((await review("b", "confirm")).status).toBe(200);
    expect(await metrics()).toMatchObject({ precision: 1, recall: 1, corrections: 2 });
    // "a human being" is not a request for one: a false positive.
    await review("c", "remove");
    expect(await metrics()).toMatchObject({ precision: 2 / 3, recall: 1, corrections: 3 });
    // The French request was missed: a false negative.
    await review("d", "correct");
    const after = await metrics();
    expect(after).toMatchObject({ precision: 2 / 3, recall: 2 / 3, corrections: 4 });
    expect(after.f1).toBeCloseTo(2 / 3, 10);
    // A removed detection no longer counts as present in filters, nor in the overview's events over time.
    expect(await ids(`event=${event.id}`)).toEqual(["a", "b"]);
    const overTime = await h.get<{ days: unknown[] }>(`${base()}/analytics/events-over-time?range=all`);
    expect(overTime.body.days).toEqual([
      { event_id: event.id, name: "Human requested", day: BASE * 1000, count: 2 },
    ]);
    const removeAbsent = await h.send<{ detail: string }>("POST", `${base()}/tasks/d/review`, {
      event_id: event.id,
      action: "remove",
    });
    expect(removeAbsent.status).toBe(400);
  });

  it("gives each session of the list its roll-up: language, sentiment, its own events and its tasks' events", async () => {
    const human = (
      await h.send<{ id: string }>("POST", `${base()}/events`, {
        name: "Human requested",
        detector: "keywords",
        config: { keywords: ["human", "person"] },
      })
    ).body;
    const thanked = (
      await h.send<{ id: string }>("POST", `${base()}/events`, {
        name: "Thanked",
        scope: "session",
        detector: "keywords",
        config: { keywords: ["thanks"] },
      })
    ).body;
    runner.start();
    await h.log([
      {
        task_id: "a1",
        session_id: "s-a",
        user_id: "u1",
        input: "I want a human, this is awful",
        created_at: BASE,
      },
      {
        task_id: "a2",
        session_id: "s-a",
        user_id: "u1",
        input: "Can a person call me?",
        created_at: BASE + 1,
      },
      { task_id: "a3", session_id: "s-a", user_id: "u1", input: "ok thanks, great", created_at: BASE + 2 },
      { task_id: "f1", session_id: "s-f", input: "Je voudrais un remboursement", created_at: BASE + 3 },
      { task_id: "f2", session_id: "s-f", input: "Merci beaucoup pour votre aide", created_at: BASE + 4 },
    ]);
    type Rollup = {
      language: string | null;
      sentiment: { average: number | null; label: string | null };
      events: Array<{ event_id: string; name: string; present: boolean; review: string | null }>;
      task_events: Array<{ event_id: string; name: string; tasks: number }>;
    };
    type ListedSession = { id: string; analytics?: Rollup };
    const listed = async () =>
      Object.fromEntries(
        (await h.get<{ sessions: ListedSession[] }>(`${base()}/sessions?range=all`)).body.sessions.map(
          (s) => [s.id, s.analytics],
        ),
      );
    const sessions = await until(async () => {
      const byId = await listed();
      const a = byId["s-a"];
      return a?.events.length === 1 && a.task_events.length === 1 && byId["s-f"]?.language ? byId : false;
    });
    const a = sessions["s-a"]!;
    expect(a.language).toBe("en");
    expect(a.events.map((e) => [e.event_id, e.name, e.present])).toEqual([[thanked.id, "Thanked", true]]);
    expect(a.task_events).toEqual([{ event_id: human.id, name: "Human requested", tasks: 2 }]);
    expect(typeof a.sentiment.average).toBe("number");
    expect(["positive", "neutral", "negative"]).toContain(a.sentiment.label);
    const f = sessions["s-f"]!;
    expect(f.language).toBe("fr");
    expect(f.events).toEqual([]);
    expect(f.task_events).toEqual([]);
    // The list and the session page read the same roll-up.
    expect((await h.get<Rollup>(`${base()}/sessions/s-a/analytics`)).body).toEqual(a);
    // A removed detection leaves its task's count; the session's own badge says it was removed (as a task's does).
    await h.send("POST", `${base()}/tasks/a2/review`, { event_id: human.id, action: "remove" });
    await h.send("POST", `${base()}/tasks/session:s-a/review`, { event_id: thanked.id, action: "remove" });
    const after = (await listed())["s-a"]!;
    expect(after.task_events).toEqual([{ event_id: human.id, name: "Human requested", tasks: 1 }]);
    expect(after.events.map((e) => [e.name, e.review])).toEqual([["Thanked", "removed"]]);
    // A user's sessions carry it too.
    const user = await h.get<{ sessions: ListedSession[] }>(`${base()}/users/u1`);
    expect(user.body.sessions[0]?.analytics?.task_events[0]?.tasks).toBe(1);
  });

  it("back-fills past tasks with progress to done / total, and compares versions", async () => {
    const events = Array.from({ length: 60 }, (_, i) => ({
      task_id: `p${i}`,
      input: i % 4 === 0 ? "refund please" : "hello there",
      output: "ok",
      created_at: BASE + i,
      version_id: i % 2 === 0 ? "v1" : "v2",
      // v1: 10 of 30 flagged success; v2: 25 of 30.
      flag: (i % 2 === 0 ? i / 2 < 10 : (i - 1) / 2 < 25) ? "success" : "failure",
      latency_ms: i % 2 === 0 ? 100 + i : 300 + i,
    }));
    await h.log(events);
    const event = (
      await h.send<{ id: string }>("POST", `${base()}/events`, {
        name: "Refund",
        detector: "keywords",
        config: { keywords: ["refund"] },
      })
    ).body;
    const started = await h.send<{ id: string }>("POST", `${base()}/events/backfill`, {
      event_ids: [event.id],
      from: (BASE + 10) * 1000,
    });
    expect(started.status).toBe(202);
    const badBackfill = await h.send<{ detail: string }>("POST", `${base()}/events/backfill`, {
      event_ids: ["nope"],
    });
    expect(badBackfill.body.detail).toMatch(/event_ids: event nope does not exist/);
    runner.start();
    type Progress = { backfills: Array<{ id: string; total: number; done: number; status: string }> };
    const done = await until(async () => {
      const progress = (await h.get<Progress>(`${base()}/analytics/progress`)).body;
      const mine = progress.backfills.find((b) => b.id === started.body.id);
      return mine?.status === "done" ? mine : false;
    });
    expect(done).toMatchObject({ total: 50, done: 50 });

    type Compare = {
      versions: Array<{
        version_id: string;
        flagged: number;
        successes: number;
        success_interval: { low: number; high: number };
      }>;
      comparisons: Array<{
        success_rate: { p_value: number; significant: boolean; n: number[] };
        latency: { significant: boolean; n: number[] };
      }>;
    };
    const compare = await h.get<Compare>(`${base()}/ab/compare?range=all&versions=v1,v2`);
    expect(compare.status).toBe(200);
    expect(compare.body.versions.map((v) => [v.version_id, v.flagged, v.successes])).toEqual([
      ["v1", 30, 10],
      ["v2", 30, 25],
    ]);
    const [pair] = compare.body.comparisons;
    expect(pair!.success_rate.n).toEqual([30, 30]);
    expect(pair!.success_rate.significant).toBe(true);
    expect(pair!.latency.significant).toBe(true);
    // Event rates per version: tasks 0, 4, 8, … ask for a refund, all even, so all on v1: 15 of 30, and 0 of 30 on v2
    // (tasks from 10 on were back-filled, the first ten by the always-on pass).
    await until(async () => {
      const rates = (
        await h.get<{ rates: Array<{ analysed: number }> }>(`${base()}/analytics/event-rates?range=all`)
      ).body;
      return rates.rates.reduce((sum, r) => sum + r.analysed, 0) === 60;
    });
    const rates = (
      await h.get<{ rates: Array<{ version_id: string; detected: number; analysed: number }> }>(
        `${base()}/analytics/event-rates?range=all`,
      )
    ).body.rates;
    expect(rates.map((r) => [r.version_id, r.detected, r.analysed])).toEqual([
      ["v1", 15, 30],
      ["v2", 0, 30],
    ]);
    const judge = await h.send<{ detail: string }>("PUT", `${base()}/analytics/judge`, {
      enabled: true,
      sample_rate: 2,
    });
    expect(judge.status).toBe(400);
    expect(judge.body.detail).toMatch(/sample_rate/);
    const saved = await h.send<{ settings: unknown; agreement: unknown }>(
      "PUT",
      `${base()}/analytics/judge`,
      {
        enabled: true,
        guidelines: "Be brief.",
        sample_rate: 0.5,
      },
    );
    expect(saved.body).toEqual({
      settings: { enabled: true, guidelines: "Be brief.", sample_rate: 0.5 },
      agreement: { n: 0, agree: 0, rate: null },
    });

    const one = await h.get<{ detail: string }>(`${base()}/ab/compare?versions=v1`);
    expect(one.status).toBe(400);
    expect(one.body.detail).toMatch(/versions: must name 2 to 6 versions/);
  });

  it("never returns the model endpoint key, in any reply or export", async () => {
    const put = await h.send("PUT", `${base()}/analytics/endpoint`, {
      base_url: "http://127.0.0.1:9/v1",
      model: "tiny",
      api_key: SECRET,
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      configured: true,
      base_url: "http://127.0.0.1:9/v1",
      model: "tiny",
      has_key: true,
      source: "project",
    });
    await h.send("POST", `${base()}/events`, { template: "frustrated_user" });
    await h.log([{ task_id: "k", input: "hello", output: "hi" }]);
    const replies = await Promise.all(
      [
        `${base()}/analytics/endpoint`,
        `${base()}/events`,
        `${base()}/tasks?range=all`,
        `${base()}/tasks/k`,
        `${base()}/analytics/progress`,
        `${base()}/export?range=all&format=jsonl`,
        `${base()}/export?range=all&format=csv`,
      ].map((url) => h.app.inject({ method: "GET", url: `/api${url}`, headers: { cookie: h.cookie } })),
    );
    for (const reply of replies) {
      expect(reply.statusCode).toBe(200);
      expect(reply.body).not.toContain(SECRET);
    }
    const kept = await h.send("PUT", `${base()}/analytics/endpoint`, {
      base_url: "http://127.0.0.1:9/v2",
      model: "tiny",
    });
    expect(kept.body).toMatchObject({ has_key: true, base_url: "http://127.0.0.1:9/v2" });
    const badUrl = await h.send<{ detail: string }>("PUT", `${base()}/analytics/endpoint`, {
      base_url: "ftp://x",
      model: "m",
    });
    expect(badUrl.body.detail).toMatch(/base_url: must be an http\(s\) URL/);
  });
});

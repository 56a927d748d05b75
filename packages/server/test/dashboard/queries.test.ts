/**
 * The dashboard's read API over known data, on SQLite and PostgreSQL: filters, keyset pages, sort, search,
 * sessions, users, overview numbers and the A/B comparison.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { BASE_S, knownTasks, startHarness, type Harness } from "./harness.js";

interface Page {
  tasks: Array<{
    id: string;
    created_at: number;
    latency_ms: number | null;
    input: string;
    has_notes: boolean;
  }>;
  nextCursor: string | null;
}

const engines = await storeEngines();

describe.each(engines)("dashboard queries on $name", (engine) => {
  let h: Harness;
  const ids = async (query: string) => {
    const reply = await h.get<Page>(`/projects/${h.projectId}/tasks${query}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.tasks.map((t) => t.id);
  };

  beforeAll(async () => {
    h = await startHarness(engine);
    await h.log(knownTasks());
  });
  afterAll(() => h?.close());

  it("lists newest first, with the list's columns", async () => {
    expect(await ids("")).toEqual(["t9", "t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1"]);
    const { body } = await h.get<{ tasks: Array<Record<string, unknown>> }>(
      `/projects/${h.projectId}/tasks?limit=1`,
    );
    expect(body.tasks[0]).toMatchObject({
      id: "t9",
      input: "ZEBRA crossing",
      output: "Answer to ZEBRA crossing",
      flag: "success",
      user_id: "carol",
      model: "claude",
      total_tokens: 900,
      latency_ms: 900,
      created_at: (BASE_S + 2 * 86_400 + 8 * 60) * 1000,
    });
  });

  it("pages with a keyset cursor: every task once, in order, and nothing after the last page", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=4${cursor ? `&cursor=${cursor}` : ""}`;
      const { body }: { body: Page } = await h.get<Page>(`/projects/${h.projectId}/tasks${query}`);
      seen.push(...body.tasks.map((t) => t.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(["t9", "t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1"]);
  });

  it("pages in the other sorts too (oldest first, slowest first)", async () => {
    const collect = async (sort: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const { body }: { body: Page } = await h.get<Page>(
          `/projects/${h.projectId}/tasks?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        );
        out.push(...body.tasks.map((t) => t.id));
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      return out;
    };
    expect(await collect("created_at")).toEqual(["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"]);
    expect(await collect("-latency_ms")).toEqual(["t9", "t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1"]);
    expect(await collect("total_tokens")).toEqual(["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"]);
  });

  it("pages a user's tasks and a session's tasks with the cursor (their own index on SQLite)", async () => {
    const first = await h.get<Page>(`/projects/${h.projectId}/tasks?user_id=alice&limit=2`);
    expect(first.body.tasks.map((t) => t.id)).toEqual(["t3", "t2"]);
    const second = await h.get<Page>(
      `/projects/${h.projectId}/tasks?user_id=alice&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.tasks.map((t) => t.id)).toEqual(["t1"]);
    expect(second.body.nextCursor).toBeNull();
    expect(await ids("?session_id=s2")).toEqual(["t5", "t4"]);
  });

  it("filters by date range (custom dates, inclusive end day, and ms bounds)", async () => {
    expect(await ids("?range=custom&from=2026-11-02&to=2026-11-02")).toEqual(["t6", "t5", "t4"]);
    expect(await ids("?from=2026-11-03")).toEqual(["t9", "t8", "t7"]);
    const t4 = (BASE_S + 86_400 + 3 * 60) * 1000;
    expect(await ids(`?from=${t4}&to=${t4}`)).toEqual(["t4"]);
    expect(await ids("?range=24h")).toEqual([]);
    expect(await ids("?range=all")).toHaveLength(9);
  });

  it("filters by flag, no flag, and notes", async () => {
    expect(await ids("?flag=success")).toEqual(["t9", "t5", "t4", "t1"]);
    expect(await ids("?flag=failure")).toEqual(["t7", "t2"]);
    expect(await ids("?flag=none")).toEqual(["t8", "t6", "t3"]);
    expect(await ids("?has_notes=1")).toEqual([]);
  });

  it("filters by version, user, model, environment and metadata key=value", async () => {
    expect(await ids("?version_id=v2")).toEqual(["t8", "t6", "t5", "t4"]);
    expect(await ids("?user_id=alice")).toEqual(["t3", "t2", "t1"]);
    expect(await ids("?model=claude")).toEqual(["t9", "t6", "t5", "t4"]);
    expect(await ids("?environment=staging")).toEqual(["t7", "t4", "t1"]);
    expect(await ids(`?meta=${encodeURIComponent("plan=pro")}`)).toEqual(["t9", "t7", "t5", "t3", "t1"]);
    expect(
      await ids(`?meta=${encodeURIComponent("plan=pro")}&meta=${encodeURIComponent("beta=true")}`),
    ).toEqual(["t9"]);
    expect(await ids(`?meta=${encodeURIComponent("region=eu")}&model=gpt-4o&flag=failure`)).toEqual([
      "t7",
      "t2",
    ]);
    expect(await ids(`?meta=${encodeURIComponent("missing=x")}`)).toEqual([]);
  });

  it("searches input and output, case-insensitively, short and long, with LIKE wildcards taken literally", async () => {
    expect(await ids("?q=zebra")).toEqual(["t9"]);
    expect(await ids("?q=PARIS")).toEqual(["t4"]);
    expect(await ids("?q=answer%20to%20and")).toEqual(["t5", "t2"]);
    expect(await ids("?q=yO")).toEqual(["t5"]);
    expect(await ids("?q=%25")).toEqual(["t3"]);
    expect(await ids("?q=_s")).toEqual(["t8"]);
    expect(await ids(`?q=${encodeURIComponent('"hello"')}`)).toEqual(["t6"]);
    expect(await ids("?q=bread&flag=success")).toEqual(["t1"]);
  });

  it("rejects bad parameters with a 400 naming them", async () => {
    for (const [query, field] of [
      ["?flag=maybe", "flag"],
      ["?limit=0", "limit"],
      ["?sort=input", "sort"],
      ["?cursor=nonsense", "cursor"],
      ["?from=yesterday", "from"],
      ["?meta=novalue", "meta"],
    ] as const) {
      const reply = await h.get<{ detail: string }>(`/projects/${h.projectId}/tasks${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.detail).toContain(field);
    }
  });

  it("suggests metadata keys and values, and field values, from the data", async () => {
    const keys = await h.get<{ keys: Array<{ value: string; count: number }> }>(
      `/projects/${h.projectId}/suggestions/metadata-keys`,
    );
    expect(keys.body.keys.map((k) => k.value)).toEqual(expect.arrayContaining(["plan", "region", "beta"]));
    const values = await h.get<{ values: Array<{ value: string; count: number }> }>(
      `/projects/${h.projectId}/suggestions/metadata-values?key=plan`,
    );
    expect(values.body.values).toEqual([
      { value: "pro", count: 5 },
      { value: "free", count: 4 },
    ]);
    const fields = await h.get<Record<string, Array<{ value: string }>>>(
      `/projects/${h.projectId}/suggestions/fields`,
    );
    expect(fields.body.model?.map((m) => m.value).sort()).toEqual(["claude", "gpt-4o"]);
    expect(fields.body.user_id?.map((m) => m.value).sort()).toEqual(["alice", "bob", "carol"]);
  });

  it("shows a task with its feedback history, and records flags and notes from the owner", async () => {
    const flagged = await h.send<{
      task: { flag: string };
      feedback: Array<{ kind: string; value: string; source: string }>;
    }>("POST", `/projects/${h.projectId}/tasks/t3/flag`, { flag: "failure" });
    expect(flagged.status).toBe(200);
    expect(flagged.body.task.flag).toBe("failure");
    const noted = await h.send("PUT", `/projects/${h.projectId}/tasks/t3/notes`, {
      notes: "wrong about rye",
    });
    expect(noted.status).toBe(200);
    const detail = await h.get<{
      task: {
        id: string;
        notes: string;
        flag: string;
        flag_source: string;
        metadata: Record<string, unknown>;
        session_id: string;
      };
      feedback: Array<{ kind: string; value: string | null; source: string; notes: string | null }>;
    }>(`/projects/${h.projectId}/tasks/t3`);
    expect(detail.body.task).toMatchObject({
      id: "t3",
      notes: "wrong about rye",
      flag: "failure",
      flag_source: "owner",
      session_id: "s1",
    });
    expect(detail.body.task.metadata).toMatchObject({ plan: "pro", region: "eu" });
    expect(detail.body.feedback.map((f) => [f.kind, f.value, f.source])).toEqual([
      ["flag", "failure", "owner"],
      ["notes", null, "owner"],
    ]);
    expect(await ids("?has_notes=1")).toEqual(["t3"]);
    expect(await ids("?flag=none")).toEqual(["t8", "t6"]);

    const bad = await h.send<{ detail: string }>("POST", `/projects/${h.projectId}/tasks/t3/flag`, {
      flag: "great",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("flag");
    expect(
      (await h.send("POST", `/projects/${h.projectId}/tasks/nope/flag`, { flag: "success" })).status,
    ).toBe(404);
    expect((await h.get(`/projects/${h.projectId}/tasks/nope`)).status).toBe(404);
  });

  it("lists sessions by last activity and shows one transcript in order with per-task feedback", async () => {
    const list = await h.get<{
      sessions: Array<{ id: string; session_length: number; user_id: string; preview: string }>;
    }>(`/projects/${h.projectId}/sessions`);
    expect(list.body.sessions.map((s) => [s.id, s.session_length, s.user_id])).toEqual([
      ["s2", 2, "bob"],
      ["s1", 3, "alice"],
    ]);
    const one = await h.get<{
      session: { id: string };
      tasks: Array<{ id: string; feedback: Array<{ kind: string }> }>;
    }>(`/projects/${h.projectId}/sessions/s1`);
    expect(one.body.tasks.map((t) => t.id)).toEqual(["t1", "t2", "t3"]);
    expect(one.body.tasks[2]?.feedback.map((f) => f.kind)).toEqual(["flag", "notes"]);
    expect((await h.get(`/projects/${h.projectId}/sessions/nope`)).status).toBe(404);
  });

  it("derives users from tasks: counts, sessions, success rate, tokens, first and last seen", async () => {
    const list = await h.get<{ users: Array<Record<string, unknown>> }>(
      `/projects/${h.projectId}/users?sort=tasks`,
    );
    expect(list.body.users.map((u) => u.user_id)).toEqual(["alice", "bob", "carol"]);
    expect(list.body.users[1]).toEqual({
      user_id: "bob",
      tasks: 3,
      sessions: 1,
      success: 2,
      failure: 0,
      success_rate: 1,
      tokens: 1500,
      first_seen: (BASE_S + 86_400 + 3 * 60) * 1000,
      last_seen: (BASE_S + 86_400 + 5 * 60) * 1000,
      cost_usd: 0,
    });
    const one = await h.get<{
      user: { tasks: number; success_rate: number };
      sessions: Array<{ id: string }>;
    }>(`/projects/${h.projectId}/users/alice`);
    expect(one.body.user.tasks).toBe(3);
    expect(one.body.user.success_rate).toBeCloseTo(1 / 3);
    expect(one.body.sessions.map((s) => s.id)).toEqual(["s1"]);
    expect((await h.get(`/projects/${h.projectId}/users/nobody`)).status).toBe(404);
  });

  it("computes the overview: per-day numbers, rates, tokens, latency p50/p95, breakdowns", async () => {
    const { body } = await h.get<{
      totals: Record<string, number | null>;
      days: Array<Record<string, unknown>>;
      byModel: Array<Record<string, unknown>>;
      byVersion: Array<Record<string, unknown>>;
    }>(`/projects/${h.projectId}/overview`);
    // t3 was flagged failure by the owner above: 4 successes, 3 failures.
    expect(body.totals).toMatchObject({
      tasks: 9,
      sessions: 2,
      users: 3,
      success: 4,
      failure: 3,
      tokens: 4500,
    });
    expect(body.totals.success_rate).toBeCloseTo(4 / 7);
    expect(body.totals.latency_p50_ms).toBe(500);
    expect(body.totals.latency_p95_ms).toBe(900);
    expect(body.days.map((d) => [d.day, d.tasks, d.sessions, d.success, d.failure, d.tokens])).toEqual([
      ["2026-11-01", 3, 1, 1, 2, 600],
      ["2026-11-02", 3, 1, 2, 0, 1500],
      ["2026-11-03", 3, 0, 1, 1, 2400],
    ]);
    expect(body.byModel.map((m) => [m.key, m.tasks])).toEqual(
      [
        ["claude", 4],
        ["gpt-4o", 5],
      ].sort((a, b) => Number(b[1]) - Number(a[1])),
    );
    expect(body.byVersion.map((v) => [v.key, v.tasks]).sort()).toEqual([
      ["v1", 5],
      ["v2", 4],
    ]);

    const filtered = await h.get<{ totals: Record<string, number> }>(
      `/projects/${h.projectId}/overview?model=claude`,
    );
    expect(filtered.body.totals).toMatchObject({
      tasks: 4,
      tokens: 2400,
      latency_p50_ms: 500,
      latency_p95_ms: 900,
    });
  });

  it("compares versions side by side (A/B)", async () => {
    const { body } = await h.get<{ versions: Array<Record<string, unknown>> }>(
      `/projects/${h.projectId}/ab?versions=v1,v2`,
    );
    expect(body.versions).toHaveLength(2);
    const [v1, v2] = body.versions;
    // v1: t1 t2 t3 t7 t9 (latency 100 200 300 700 900; flags s f f f s); v2: t4 t5 t6 t8 (400 500 600 800; s s).
    expect(v1).toMatchObject({
      version_id: "v1",
      tasks: 5,
      success: 2,
      failure: 3,
      latency_p50_ms: 300,
      latency_p95_ms: 900,
      avg_tokens: 440,
    });
    expect(v2).toMatchObject({
      version_id: "v2",
      tasks: 4,
      success: 2,
      failure: 0,
      success_rate: 1,
      latency_p50_ms: 500,
      latency_p95_ms: 800,
    });
    expect((await h.get(`/projects/${h.projectId}/ab`)).status).toBe(400);
  });

  it("reports the newest arrival for live updates, and how many arrived since", async () => {
    const first = await h.get<{ latest: number; newTasks: number }>(`/projects/${h.projectId}/latest`);
    expect(first.body.latest).toBeGreaterThan(0);
    await h.log([{ task_id: "live1", input: "fresh", output: "new" }]);
    const next = await h.get<{ latest: number; newTasks: number }>(
      `/projects/${h.projectId}/latest?since=${first.body.latest}`,
    );
    expect(next.body.latest).toBeGreaterThanOrEqual(first.body.latest);
    expect(next.body.newTasks).toBe(1);
  });
});

/**
 * The dashboard API added for daily use (issue 12), on SQLite and PostgreSQL: ascending sorts list tasks
 * without a value last (across pages), flag removal, metadata keys holding `=`, match counts, session search,
 * hour buckets, metadata columns, and derived keys kept apart from the user's own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countMatchingUsers, countSessions } from "../../src/dashboard/queries/count.js";
import { storeEngines } from "../helpers/postgres.js";
import { BASE_S, knownTasks, startHarness, type Harness } from "./harness.js";

const engines = await storeEngines();

interface Page {
  tasks: Array<{ id: string; meta?: Record<string, unknown> }>;
  nextCursor: string | null;
}

describe.each(engines)("dashboard daily-use API on $name", (engine) => {
  let h: Harness;
  const path = (rest: string) => `/projects/${h.projectId}${rest}`;
  async function collect(query: string, limit: number) {
    const out: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const { body }: { body: Page } = await h.get<Page>(
        path(`/tasks?range=all&${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`),
      );
      out.push(...body.tasks.map((t) => t.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  beforeAll(async () => {
    h = await startHarness(engine);
    await h.log([
      ...knownTasks(),
      // No latency and no tokens; created between t1 and t2.
      {
        task_id: "n1",
        input: "no numbers",
        created_at: BASE_S + 10,
        metadata: { "a=b": "c=d", "x\\y": "z" },
      },
      { task_id: "n2", input: "no numbers either", created_at: BASE_S + 20 },
    ]);
  });
  afterAll(() => h?.close());

  it("lists tasks without a value last on ascending sorts, on every page size", async () => {
    const numbered = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];
    for (const limit of [1, 2, 3, 9, 10, 50]) {
      expect(await collect("sort=latency_ms", limit)).toEqual([...numbered, "n1", "n2"]);
      expect(await collect("sort=total_tokens", limit)).toEqual([...numbered, "n1", "n2"]);
    }
    // Descending still lists them last (their key is -1).
    expect((await collect("sort=-latency_ms", 4)).slice(-2)).toEqual(["n2", "n1"]);
  });

  it("removes a flag with DELETE …/flag, recorded as feedback kind flag_removed", async () => {
    const flagged = await h.send<{ task: { flag: string | null } }>("POST", path("/tasks/t3/flag"), {
      flag: "success",
    });
    expect(flagged.body.task.flag).toBe("success");
    const reply = await h.app.inject({
      method: "DELETE",
      url: `/api${path("/tasks/t3/flag")}`,
      headers: { cookie: h.cookie },
    });
    expect(reply.statusCode).toBe(200);
    const body = reply.json<{ task: { flag: string | null }; feedback: Array<{ kind: string }> }>();
    expect(body.task.flag).toBeNull();
    expect(body.feedback.map((f) => f.kind).slice(-2)).toEqual(["flag", "flag_removed"]);
    expect(await collect("flag=none", 50)).toContain("t3");
    const missing = await h.app.inject({
      method: "DELETE",
      url: `/api${path("/tasks/nope/flag")}`,
      headers: { cookie: h.cookie },
    });
    expect(missing.statusCode).toBe(404);
  });

  it("filters on a metadata key holding = or \\ (escaped with \\)", async () => {
    expect(await collect(`meta=${encodeURIComponent("a\\=b=c=d")}`, 50)).toEqual(["n1"]);
    expect(await collect(`meta=${encodeURIComponent("x\\\\y=z")}`, 50)).toEqual(["n1"]);
    const bad = await h.get<{ detail: string }>(path(`/tasks?meta=${encodeURIComponent('a"b=c')}`));
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("meta");
  });

  it("applies expressive conditions: contains, not contains, in, empty, numeric ranges, feedback source, notes", async () => {
    const f = (...conds: string[]) => conds.map((c) => `f=${encodeURIComponent(c)}`).join("&");
    expect(await collect(f("contains:input=PARIS"), 50)).toEqual(["t4"]);
    expect((await collect(f("not_contains:input=and"), 50)).sort()).not.toContain("t2");
    expect((await collect(f('in:user_id=["alice","nobody"]'), 50)).sort()).toEqual(["t1", "t2", "t3"]);
    expect((await collect(f("empty:latency_ms"), 50)).sort()).toEqual(["n1", "n2"]);
    expect((await collect(f("gte:latency_ms=400", "lte:latency_ms=600"), 50)).sort()).toEqual([
      "t4",
      "t5",
      "t6",
    ]);
    expect(await collect(f("eq:meta.a=b=c=d"), 50)).toEqual([]);
    expect(await collect(f("eq:meta.a\\=b=c=d"), 50)).toEqual(["n1"]);
    expect(await collect(f("not_empty:meta.a\\=b"), 50)).toEqual(["n1"]);
    await h.send("PUT", path("/tasks/t7/notes"), { notes: "Wrong airport terminal" });
    expect(await collect(f("contains:notes=airport"), 50)).toEqual(["t7"]);
    expect(await collect(f("eq:flag_source=owner", "contains:notes=terminal"), 50)).toEqual([]);
    await h.send("POST", path("/tasks/t7/flag"), { flag: "failure" });
    expect(await collect(f("eq:flag_source=owner", "contains:notes=terminal"), 50)).toEqual(["t7"]);
    const count = await h.get<{ count: number }>(path(`/tasks/count?range=all&${f("empty:latency_ms")}`));
    expect(count.body.count).toBe(2);
    for (const [cond, words] of [
      ["nope", "op:field=value"],
      ["contains:secret=x", "unknown field"],
      ["gte:input=3", "does not apply"],
      ["gte:latency_ms=abc", "needs a number"],
      ["in:model=gpt", "JSON array"],
    ] as const) {
      const reply = await h.get<{ detail: string }>(path(`/tasks?${f(cond)}`));
      expect(reply.status).toBe(400);
      expect(reply.body.detail).toContain("invalid query parameter f");
      expect(reply.body.detail).toContain(words);
    }
  });

  it("stores saved views per project: create, list, read, delete, with bad input named", async () => {
    const created = await h.send<{ view: { id: string; name: string } }>("POST", path("/views"), {
      name: "Failures",
      page: "tasks",
      query: "flag=failure&range=all",
      table_config: { columns: ["time", "input"], density: "compact" },
    });
    expect(created.status).toBe(200);
    const list = await h.get<{ views: Array<{ id: string; query: string; table_config: unknown }> }>(
      path("/views"),
    );
    expect(list.body.views).toEqual([
      expect.objectContaining({
        id: created.body.view.id,
        query: "flag=failure&range=all",
        table_config: { columns: ["time", "input"], density: "compact" },
      }),
    ]);
    const bad = await h.send<{ detail: string }>("POST", path("/views"), { name: "", query: "" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("name");
    const del = await h.app.inject({
      method: "DELETE",
      url: `/api${path(`/views/${created.body.view.id}`)}`,
      headers: { cookie: h.cookie },
    });
    expect(del.statusCode).toBe(200);
    expect((await h.get(path(`/views/${created.body.view.id}`))).status).toBe(404);
  });

  it("counts matches exactly (small sets)", async () => {
    const all = await h.get<{ count: number; exact: boolean }>(path("/tasks/count?range=all"));
    expect(all.body).toEqual({ count: 11, exact: true });
    const alice = await h.get<{ count: number; exact: boolean }>(
      path("/tasks/count?range=all&user_id=alice"),
    );
    expect(alice.body).toEqual({ count: 3, exact: true });
  });

  it("searches sessions by part of their id", async () => {
    const { body } = await h.get<{ sessions: Array<{ id: string }> }>(path("/sessions?range=all&q=2"));
    expect(body.sessions.map((s) => s.id)).toEqual(["s2"]);
    const literal = await h.get<{ sessions: unknown[] }>(path("/sessions?range=all&q=%25"));
    expect(literal.body.sessions).toEqual([]);
  });

  it("gives hour buckets with their start, and metadata columns on the list", async () => {
    const { body } = await h.get<{ days: Array<{ start: number; tasks: number }> }>(
      path("/overview?range=all&bucket=hour"),
    );
    expect(body.days.every((d) => d.start % 3_600_000 === 0)).toBe(true);
    expect(body.days.reduce((n, d) => n + d.tasks, 0)).toBe(11);
    const page = await h.get<Page>(path(`/tasks?range=all&meta_columns=${encodeURIComponent("a=b,plan")}`));
    expect(page.body.tasks.find((t) => t.id === "n1")?.meta).toEqual({ "a=b": "c=d" });
  });

  it("keeps derived keys out of the user's metadata in the task view and suggestions", async () => {
    await h.log([{ task_id: "d1", input: "x", user_id: "carol", model: "m", metadata: { team: "red" } }]);
    const { body } = await h.get<{ user_metadata: object; derived_metadata: object }>(path("/tasks/d1"));
    expect(body.user_metadata).toEqual({ team: "red" });
    expect(body.derived_metadata).toMatchObject({ user_id: "carol", model: "m" });
    const keys = await h.get<{ keys: Array<{ value: string }> }>(path("/suggestions/metadata-keys"));
    expect(keys.body.keys.map((k) => k.value)).not.toContain("user_id");
    expect(keys.body.keys.map((k) => k.value)).toContain("team");
  });

  it("counts sessions and users as their lists filter them: exact, or about N above the bound", async () => {
    type Count = { count: number; exact: boolean };
    const sessions = async (query: string) =>
      (await h.get<{ sessions: unknown[] }>(path(`/sessions?${query}&limit=200`))).body.sessions.length;
    const users = async (query: string) =>
      (await h.get<{ users: unknown[] }>(path(`/users?${query}&limit=200`))).body.users.length;
    for (const query of ["range=all", "range=all&q=2", "range=all&user_id=alice", `to=${BASE_S * 1000}`]) {
      const { body } = await h.get<Count>(path(`/count/sessions?${query}`));
      expect(body, query).toEqual({ count: await sessions(query), exact: true });
    }
    expect((await h.get<Count>(path("/count/sessions?range=all&user_id=alice"))).body.count).toBe(1);
    // Feedback: s1 has a success and a failure, s2 two successes.
    const ids = async (query: string) =>
      (await h.get<{ sessions: Array<{ id: string }> }>(path(`/sessions?range=all&${query}`))).body.sessions
        .map((s) => s.id)
        .filter((id) => id === "s1" || id === "s2")
        .sort();
    expect(await ids("feedback=failure")).toEqual(["s1"]);
    expect(await ids("feedback=success")).toEqual(["s1", "s2"]);
    expect(await ids("feedback=none")).toEqual([]);
    for (const query of ["range=all&feedback=failure", "range=all&feedback=none"]) {
      const { body } = await h.get<Count>(path(`/count/sessions?${query}`));
      expect(body, query).toEqual({ count: await sessions(query), exact: true });
    }
    const badFeedback = await h.get<{ detail: string }>(path("/sessions?feedback=maybe"));
    expect(badFeedback.status).toBe(400);
    expect(badFeedback.body.detail).toContain("feedback");
    for (const query of ["range=all", "", "range=all&model=claude", "range=all&f=contains%3Auser_id%3Do"]) {
      const { body } = await h.get<Count>(path(`/count/users?${query}`));
      expect(body, query).toEqual({ count: await users(query), exact: true });
    }
    expect((await h.get<Count>(path("/count/users?range=all&model=claude"))).body.count).toBe(2);
    const bad = await h.get<{ detail: string }>(path("/count/users?from=yesterday"));
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("from");

    // Above the bound (lowered here), an estimate that says so, never below what was seen.
    const allSessions = await sessions("range=all");
    const estimated = await countSessions(h.store, h.projectId, {}, Date.now(), 1);
    expect(estimated.exact).toBe(false);
    expect(estimated.count).toBeGreaterThanOrEqual(2);
    expect(await countSessions(h.store, h.projectId, {}, Date.now(), allSessions)).toEqual({
      count: allSessions,
      exact: true,
    });
    const allUsers = await users("range=all");
    const aboutUsers = await countMatchingUsers(
      h.store,
      h.projectId,
      { metadata: [], from: 0 },
      Date.now(),
      2,
    );
    expect(aboutUsers.exact).toBe(false);
    expect(aboutUsers.count).toBeGreaterThanOrEqual(1);
    expect(aboutUsers.count).toBeLessThanOrEqual(allUsers);

    // The counts live under /count/…, so a session or a user whose id is "count" still opens.
    await h.log([{ task_id: "c1", input: "named count", session_id: "count", user_id: "count" }]);
    expect((await h.get<{ session: { id: string } }>(path("/sessions/count"))).body.session.id).toBe("count");
    expect((await h.get<{ user: { user_id: string } }>(path("/users/count"))).body.user.user_id).toBe(
      "count",
    );
  });
});

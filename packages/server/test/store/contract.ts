/**
 * The store contract: every engine must pass these. `runStoreContract(engine)` opens a fresh database of the
 * engine for each test.
 */
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { checkAggregates, rebuildAggregates } from "../../src/aggregates/index.js";
import { openStore } from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import type { StoreEngine } from "../helpers/postgres.js";
import { event } from "../helpers/events.js";
import { freshStores } from "../helpers/fresh-store.js";

const T0 = 1_700_000_000_000;

export function runStoreContract(engine: StoreEngine): void {
  describe(`store contract on ${engine.name}`, () => {
    const { opened, fresh } = freshStores(engine);

    afterEach(async () => {
      for (const { store, database } of opened.splice(0)) {
        // Every scenario ends with the aggregates and session totals exactly as a recount from the tasks.
        const report = await checkAggregates(store.db);
        expect(report.differences).toEqual([]);
        await store.close();
        await database.drop();
      }
    });

    it("runs its migrations once, even when opened again or twice at once", async () => {
      const { store, database } = await fresh();
      await store.close();
      // Two replicas at once on PostgreSQL. SQLite's connections in one thread would wait on each other
      // synchronously, so there the second open follows the first (other processes use BEGIN IMMEDIATE).
      const [a, b] =
        engine.name === "postgres"
          ? await Promise.all([openStore(database.url), openStore(database.url)])
          : [await openStore(database.url), await openStore(database.url)];
      expect(await a.listProjects()).toHaveLength(1);
      const applied = await a.db
        .selectFrom("phospho_migrations" as never)
        .selectAll()
        .execute();
      expect(applied).toHaveLength(MIGRATIONS.length);
      await a.close();
      await b.close();
      opened[0]!.store = await openStore(database.url);
    });

    it("stores keys hashed and verifies them", async () => {
      const { store, projectId } = await fresh();
      const { key, record } = await store.createApiKey(projectId);
      expect(key).toMatch(/^phk_[A-Za-z0-9_-]{43}$/);
      expect(await store.verifyApiKey(key)).toEqual({ keyId: record.id, projectId });
      expect(await store.verifyApiKey(key + "x")).toBeNull();
      const stored = await store.db.selectFrom("api_keys").selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(key);
      await store.queue.idle();
      const [touched] = await store.listApiKeys(projectId);
      expect(touched?.last_used_at).toBeGreaterThan(0);
      const chosen = await store.createApiKey(projectId, {
        plaintext: "my-own-key-of-at-least-32-characters",
      });
      expect((await store.verifyApiKey("my-own-key-of-at-least-32-characters"))?.keyId).toBe(
        chosen.record.id,
      );
    });

    it("upserts: a newer event replaces present fields and merges metadata; an older one only fills gaps", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("t1", { output: null, order: T0 + 2000, metadata: { a: 1, model: "m1" } }),
      ]);
      await store.ingest(projectId, [
        event("t1", { output: "late but old", order: T0 + 1000, metadata: { a: 0, b: 2, model: "m0" } }),
      ]);
      let task = await store.getTask(projectId, "t1");
      expect(task?.output).toBe("late but old");
      expect(JSON.parse(task!.metadata)).toEqual({ a: 1, b: 2, model: "m1" });
      expect(task?.model).toBe("m1");

      await store.ingest(projectId, [
        event("t1", { output: "final", order: T0 + 3000, metadata: { a: 3, user_id: "u1" } }),
      ]);
      task = await store.getTask(projectId, "t1");
      expect(task?.output).toBe("final");
      expect(task?.user_id).toBe("u1");
      expect(task?.last_update).toBe(T0 + 3000);
      expect(JSON.parse(task!.metadata)).toEqual({ a: 3, b: 2, model: "m1", user_id: "u1" });

      await store.ingest(projectId, [event("t1", { output: "stale retry", order: T0 + 2500 })]);
      expect((await store.getTask(projectId, "t1"))?.output).toBe("final");
    });

    it("derives columns from metadata, nested usage included", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("t1", {
          metadata: {
            usage: { input_tokens: 5, output_tokens: 7 },
            version_id: "v2",
            latency_ms: 120.4,
            time_to_first_token_ms: 30,
            stream_status: "cancelled",
            environment: "production",
          },
        }),
      ]);
      const task = await store.getTask(projectId, "t1");
      expect(task).toMatchObject({
        prompt_tokens: 5,
        completion_tokens: 7,
        total_tokens: 12,
        version_id: "v2",
        latency_ms: 120,
        ttft_ms: 30,
        status: "cancelled",
        environment: "production",
      });
    });

    it("maintains session statistics at ingest, and a re-sent batch counts nothing twice", async () => {
      const { store, projectId } = await fresh();
      const batch = [
        event("a", {
          session_id: "s",
          created_at: T0,
          metadata: { prompt_tokens: 1, completion_tokens: 2, user_id: "u" },
        }),
        event("b", {
          session_id: "s",
          created_at: T0 + 5000,
          flag: "success",
          metadata: { total_tokens: 10 },
        }),
        event("c", { session_id: "s", created_at: T0 + 1000, flag: "failure" }),
        event("alone", { created_at: T0 }),
      ];
      await store.ingest(projectId, batch);
      await store.ingest(projectId, batch);
      await Promise.all([store.ingest(projectId, batch), store.ingest(projectId, batch)]);
      const session = await store.getSession(projectId, "s");
      expect(session).toMatchObject({
        session_length: 3,
        created_at: T0,
        last_message_ts: T0 + 5000,
        first_task_id: "a",
        last_task_id: "b",
        preview: "input of a",
        user_id: "u",
        prompt_tokens: 1,
        completion_tokens: 2,
        total_tokens: 13,
        success_count: 1,
        failure_count: 1,
      });
      expect(JSON.parse(session!.metadata)).toMatchObject({ total_tokens: 13 });
      const ordered = await store.listSessionTasks(projectId, "s");
      expect(ordered.map((t) => [t.id, t.task_position, t.is_last_task])).toEqual([
        ["a", 1, 0],
        ["c", 2, 0],
        ["b", 3, 1],
      ]);
      expect((await store.getTask(projectId, "alone"))?.session_id).toBeNull();
      expect(await store.listSessions(projectId, {}, 10)).toHaveLength(1);
    });

    it("recomputes both sessions when a task moves, and drops an emptied session", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [event("a", { session_id: "s1" }), event("b", { session_id: "s1" })]);
      await store.ingest(projectId, [event("b", { session_id: "s2", order: T0 + 1 })]);
      expect((await store.getSession(projectId, "s1"))?.session_length).toBe(1);
      expect((await store.getSession(projectId, "s2"))?.session_length).toBe(1);
      await store.ingest(projectId, [event("a", { session_id: "s2", order: T0 + 1 })]);
      expect(await store.getSession(projectId, "s1")).toBeNull();
      expect((await store.getSession(projectId, "s2"))?.session_length).toBe(2);
    });

    it("keeps feedback that arrives before its task and applies it on arrival", async () => {
      const { store, projectId } = await fresh();
      const early = await store.addFeedback(projectId, "t1", {
        kind: "flag",
        value: "failure",
        source: "user",
        notes: "bad",
      });
      expect(early).toEqual({ task: null, pending: true });
      await store.ingest(projectId, [event("t1", { session_id: "s" })]);
      const task = await store.getTask(projectId, "t1");
      expect(task).toMatchObject({ flag: "failure", flag_source: "user", notes: "bad" });
      expect(JSON.parse(task!.last_eval!)).toMatchObject({ value: "failure", source: "user" });
      expect((await store.getSession(projectId, "s"))?.failure_count).toBe(1);
      const evals = await store.listEvals(projectId, "t1");
      expect(evals.map((e) => e.applied)).toEqual([1]);
      // Applied once: re-sending the task does not apply it again or change it.
      await store.ingest(projectId, [event("t1", { session_id: "s" })]);
      expect(await store.listEvals(projectId, "t1")).toHaveLength(1);
    });

    it("stores tasks whose ids the collector made beside tasks with waiting feedback, in one batch", async () => {
      const { store, projectId } = await fresh();
      await store.addFeedback(projectId, "known", { kind: "flag", value: "success", source: "user" });
      // `fresh` ids are looked up nowhere; a known id in the same batch still finds its stored feedback.
      await store.ingest(projectId, [
        event("task_made_1", { fresh: true, session_id: "s" }),
        event("known", { session_id: "s" }),
        event("task_made_2", { fresh: true, session_id: "s" }),
      ]);
      expect((await store.getTask(projectId, "known"))?.flag).toBe("success");
      expect((await store.getTask(projectId, "task_made_1"))?.input).toBe("input of task_made_1");
      expect((await store.getTask(projectId, "task_made_2"))?.flag).toBeNull();
      expect(await store.getSession(projectId, "s")).toMatchObject({ session_length: 3, success_count: 1 });
    });

    it("keeps the history of feedback, and omitted notes keep earlier notes", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [event("t1")]);
      await store.addFeedback(projectId, "t1", {
        kind: "flag",
        value: "success",
        source: "user",
        notes: "first",
      });
      await store.addFeedback(projectId, "t1", {
        kind: "human_eval",
        value: "failure",
        source: "reviewer",
        at: T0,
      });
      const task = await store.getTask(projectId, "t1");
      expect(task).toMatchObject({
        flag: "failure",
        human_eval: "failure",
        human_eval_at: T0,
        notes: "first",
      });
      await store.updateTask(projectId, "t1", { notes: "second" });
      expect((await store.getTask(projectId, "t1"))?.notes).toBe("second");
      const history = await store.listEvals(projectId, "t1");
      expect(history.map((e) => [e.kind, e.value, e.notes])).toEqual([
        ["flag", "success", "first"],
        ["human_eval", "failure", null],
        ["notes", null, "second"],
      ]);
    });

    it("updates metadata and flag of an existing task, and refuses a missing one", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [event("t1", { metadata: { a: 1 } })]);
      const updated = await store.updateTask(projectId, "t1", {
        metadata: { b: 2, user_id: "u9" },
        flag: "success",
      });
      expect(JSON.parse(updated!.metadata)).toEqual({ a: 1, b: 2, user_id: "u9" });
      expect(updated).toMatchObject({ user_id: "u9", flag: "success", flag_source: "owner" });
      expect(await store.updateTask(projectId, "nope", { flag: "success" })).toBeNull();
    });

    it("filters task lists", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("t1", {
          created_at: T0,
          session_id: "s1",
          flag: "success",
          metadata: { user_id: "u1", version_id: "v1", tier: "gold" },
        }),
        event("t2", { created_at: T0 + 10_000, session_id: "s2", metadata: { user_id: "u2", tier: 3 } }),
        event("t3", {
          created_at: T0 + 20_000,
          flag: "failure",
          metadata: { version_id: "v1", nested: { x: [1, 2] } },
        }),
      ]);
      await store.updateTask(projectId, "t2", { notes: "look" });
      const ids = async (filters: Parameters<typeof store.listTasks>[1], limit = 10) =>
        (await store.listTasks(projectId, filters, limit)).map((t) => t.id);
      expect(await ids({})).toEqual(["t3", "t2", "t1"]);
      expect(await ids({}, 2)).toEqual(["t3", "t2"]);
      expect(await ids({ createdAtStart: T0 + 10_000, createdAtEnd: T0 + 10_000 })).toEqual(["t2"]);
      expect(await ids({ flag: "success" })).toEqual(["t1"]);
      expect(await ids({ userId: "u2" })).toEqual(["t2"]);
      expect(await ids({ versionId: "v1" })).toEqual(["t3", "t1"]);
      expect(await ids({ sessionId: "s1" })).toEqual(["t1"]);
      expect(await ids({ sessionIds: ["s1", "s2"] })).toEqual(["t2", "t1"]);
      expect(await ids({ taskIds: ["t1", "t3", "zz"] })).toEqual(["t3", "t1"]);
      expect(await ids({ taskIds: [] })).toEqual([]);
      expect(await ids({ hasNotes: true })).toEqual(["t2"]);
      expect(await ids({ hasNotes: false })).toEqual(["t3", "t1"]);
      expect(await ids({ metadata: { tier: "gold" } })).toEqual(["t1"]);
      expect(await ids({ metadata: { tier: 3 } })).toEqual(["t2"]);
      expect(await ids({ metadata: { tier: "3" } })).toEqual([]);
      expect(await ids({ metadata: { nested: { x: [1, 2] } } })).toEqual(["t3"]);
      expect(await ids({ metadata: { user_id: "u1", version_id: "v1" } })).toEqual(["t1"]);
    });

    it("searches input and output as case-insensitive substrings", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("t1", { input: "What is the Capital of France?", output: "Paris" }),
        event("t2", { input: '100% sure "quoted" text', output: null }),
        event("t3", { input: "unrelated", output: "Le café est bon" }),
      ]);
      const search = async (q: string) =>
        (await store.listTasks(projectId, { search: q }, 10)).map((t) => t.id).sort();
      expect(await search("capital of")).toEqual(["t1"]);
      expect(await search("PARIS")).toEqual(["t1"]);
      expect(await search("pa")).toEqual(["t1"]);
      expect(await search("%")).toEqual(["t2"]);
      expect(await search('"quoted"')).toEqual(["t2"]);
      expect(await search("café")).toEqual(["t3"]);
      expect(await search("zzz")).toEqual([]);
      // The index follows updates.
      await store.ingest(projectId, [event("t3", { output: "now about Berlin", order: T0 + 1 })]);
      expect(await search("berlin")).toEqual(["t3"]);
      expect(await search("café")).toEqual([]);
    });

    it("isolates projects: the same ids in two projects never mix", async () => {
      const { store, projectId: a } = await fresh();
      const b = (await store.createProject("other")).id;
      await store.ingest(a, [event("same", { session_id: "s", output: "A" })]);
      await store.ingest(b, [event("same", { session_id: "s", output: "B" })]);
      await store.addFeedback(b, "same", { kind: "flag", value: "failure", source: "user" });
      expect((await store.getTask(a, "same"))?.output).toBe("A");
      expect((await store.getTask(a, "same"))?.flag).toBeNull();
      expect((await store.getTask(b, "same"))?.flag).toBe("failure");
      expect((await store.listTasks(a, {}, 10)).map((t) => t.output)).toEqual(["A"]);
      expect((await store.getSession(a, "s"))?.failure_count).toBe(0);
      expect((await store.projectsWithTask("same")).sort()).toEqual([a, b].sort());
      expect(await store.getTask(a, "missing")).toBeNull();
    });

    it("groups concurrent writes into few transactions, each answered after its commit", async () => {
      const { store, projectId } = await fresh();
      const before = { ...store.queue.stats };
      const writes = Array.from({ length: 20 }, (_, i) =>
        store
          .ingest(projectId, [event(`g${i}`, { session_id: "g" })])
          .then(() => store.getTask(projectId, `g${i}`)),
      );
      const seen = await Promise.all(writes);
      expect(seen.every((task) => task !== null)).toBe(true);
      const jobs = store.queue.stats.jobs - before.jobs;
      const transactions = store.queue.stats.transactions - before.transactions;
      expect(jobs).toBe(20);
      expect(transactions).toBeLessThan(jobs);
      expect((await store.getSession(projectId, "g"))?.session_length).toBe(20);
    });

    it.runIf(engine.name === "postgres")(
      "merges concurrent writes of two replicas on one database",
      async () => {
        const { store, projectId, database } = await fresh();
        const replica = await openStore(database.url, { warn: () => {} });
        try {
          const batch = (order: number) =>
            Array.from({ length: 40 }, (_, i) =>
              event(`r${i}`, {
                session_id: `s${i % 4}`,
                created_at: T0 + i,
                order,
                output: `version ${order}`,
                metadata: { prompt_tokens: 1 },
              }),
            );
          const feedback = Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? store : replica).addFeedback(projectId, `r${i}`, {
              kind: "flag",
              value: "success",
              source: "u",
            }),
          );
          await Promise.all([
            store.ingest(projectId, batch(T0 + 1)),
            replica.ingest(projectId, batch(T0 + 3)),
            store.ingest(projectId, batch(T0 + 2)),
            replica.ingest(projectId, batch(T0)),
            ...feedback,
          ]);
          const tasks = await store.listTasks(projectId, {}, 100);
          expect(tasks).toHaveLength(40);
          expect(new Set(tasks.map((task) => task.output))).toEqual(new Set([`version ${T0 + 3}`]));
          expect(tasks.filter((task) => task.flag === "success")).toHaveLength(10);
          for (let s = 0; s < 4; s++) {
            const session = await store.getSession(projectId, `s${s}`);
            expect(session).toMatchObject({ session_length: 10, prompt_tokens: 10 });
            const flagged = tasks.filter(
              (task) => task.session_id === `s${s}` && task.flag === "success",
            ).length;
            expect(session?.success_count).toBe(flagged);
            const positions = (await store.listSessionTasks(projectId, `s${s}`)).map(
              (task) => task.task_position,
            );
            expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
          }
        } finally {
          await replica.close();
        }
      },
    );

    it("keeps a session fed 10 tasks at a time right: totals, first and last, positions, out of order", async () => {
      const { store, projectId } = await fresh();
      // 120 tasks whose times arrive shuffled (a fixed permutation), each batch of 10 also re-sending an
      // earlier task with new tokens, a flag and sometimes a new time.
      const times = Array.from({ length: 120 }, (_, i) => T0 + ((i * 37) % 120) * 1000);
      for (let start = 0; start < 120; start += 10) {
        const batch = times.slice(start, start + 10).map((at, k) =>
          event(`t${start + k}`, {
            session_id: "long",
            created_at: at,
            metadata: { total_tokens: 1, ...(k === 3 ? { user_id: `u${start}` } : {}) },
          }),
        );
        if (start > 0) {
          const again = start - 7;
          times[again] = times[again]! + (start % 20 === 0 ? 500 : 0);
          batch.push(
            event(`t${again}`, {
              session_id: "long",
              created_at: times[again]!,
              order: T0 + start,
              flag: "success",
              metadata: { total_tokens: 3 },
            }),
          );
        }
        await store.ingest(projectId, batch);
      }
      // One task leaves for another session, and feedback flips another.
      await store.ingest(projectId, [
        event("t50", { session_id: "other", created_at: times[50]!, order: T0 + 999 }),
      ]);
      await store.addFeedback(projectId, "t60", { kind: "flag", value: "failure", source: "user" });
      const expected = times
        .map((at, i) => ({ id: `t${i}`, at }))
        .filter((task) => task.id !== "t50")
        .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
      const session = await store.getSession(projectId, "long");
      expect(session).toMatchObject({
        session_length: 119,
        first_task_id: expected[0]!.id,
        last_task_id: expected.at(-1)!.id,
        created_at: expected[0]!.at,
        last_message_ts: expected.at(-1)!.at,
        failure_count: 1,
      });
      const ordered = await store.listSessionTasks(projectId, "long");
      expect(ordered.map((task) => task.id)).toEqual(expected.map((task) => task.id));
      expect(ordered.map((task) => task.task_position)).toEqual(expected.map((_, i) => i + 1));
      for (const index of [0, 57, 118]) {
        const task = await store.getTask(projectId, expected[index]!.id);
        expect([task?.task_position, task?.is_last_task]).toEqual([index + 1, index === 118 ? 1 : 0]);
      }
      const listed = await store.listTasks(projectId, { sessionId: "long" }, 3);
      expect(listed.map((task) => task.task_position)).toEqual([119, 118, 117]);
      expect((await store.getTask(projectId, "t50"))?.task_position).toBe(1);
    });

    it("keeps the session's user: the earliest task's with one, whether tasks are appended or arrive earlier", async () => {
      const { store, projectId } = await fresh();
      const at = (id: string, offset: number, user?: string) =>
        event(id, { session_id: "u", created_at: T0 + offset, metadata: user ? { user_id: user } : {} });
      const userOf = async () => (await store.getSession(projectId, "u"))?.user_id;
      await store.ingest(projectId, [at("a", 0)]);
      expect(await userOf()).toBeNull();
      await store.ingest(projectId, [at("b", 10, "bob")]);
      expect(await userOf()).toBe("bob");
      await store.ingest(projectId, [at("c", 20, "carl")]);
      expect(await userOf()).toBe("bob");
      await store.ingest(projectId, [at("early", 5, "eve")]);
      expect(await userOf()).toBe("eve");
      await store.ingest(projectId, [event("early", { session_id: "u", created_at: T0 + 5, order: T0 + 9 })]);
      expect(await userOf()).toBe("eve");
      await store.ingest(projectId, [
        event("early", { session_id: "other", created_at: T0 + 5, order: T0 + 10 }),
      ]);
      expect(await userOf()).toBe("bob");
    });

    it("keeps the aggregates exact under upserts, feedback before and after the task, and re-sends", async () => {
      const { store, projectId } = await fresh();
      await store.addFeedback(projectId, "early", { kind: "flag", value: "success", source: "user" });
      const batch = [
        event("early", { metadata: { model: "gpt-4o", latency_ms: 120, total_tokens: 10, user_id: "u1" } }),
        event("b", {
          created_at: T0 + 3_600_000,
          metadata: { model: "gpt-4o", version_id: "v2", latency_ms: 300 },
        }),
        event("c", { metadata: { model: "", environment: "staging", latency_ms: 0, user_id: "u1" } }),
      ];
      await store.ingest(projectId, batch);
      await store.ingest(projectId, batch);
      await store.ingest(projectId, [
        event("b", {
          order: T0 + 5,
          created_at: T0,
          metadata: { model: "claude", latency_ms: 900, user_id: "u2" },
        }),
      ]);
      await store.addFeedback(projectId, "c", { kind: "flag", value: "failure", source: "user" });
      await store.updateTask(projectId, "early", { metadata: { user_id: "u3" } });
      const buckets = await store.db
        .selectFrom("agg_hourly")
        .select(["model", "flag"])
        .select((eb) => eb.fn.sum<number>("tasks").as("tasks"))
        .groupBy(["model", "flag"])
        .having((eb) => eb.fn.sum("tasks"), "!=", 0)
        .orderBy("model")
        .execute();
      expect(buckets.map((row) => [row.model, row.flag, Number(row.tasks)])).toEqual([
        ["=", "failure", 1],
        ["=claude", "", 1],
        ["=gpt-4o", "success", 1],
      ]);
      const users = await store.db
        .selectFrom("agg_users")
        .select(["user_id", "tasks"])
        .orderBy("user_id")
        .execute();
      expect(users.map((row) => [row.user_id, Number(row.tasks)])).toEqual([
        ["u1", 1],
        ["u2", 1],
        ["u3", 1],
      ]);
    });

    it("the aggregate check reports a bucket, a histogram bucket, a user and a session start that differ from the tasks, whether kept too high, missing or stray", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("a", { session_id: "s", metadata: { model: "m", latency_ms: 120, user_id: "u1" } }),
        event("b", { metadata: { model: "m", version_id: "v", latency_ms: 300 } }),
      ]);
      expect((await checkAggregates(store.db)).differences).toEqual([]);
      const hour = T0 - (T0 % 3_600_000);
      const day = T0 - (T0 % 86_400_000);
      await sql`UPDATE agg_hourly SET tasks = tasks + 1 WHERE version_id = '=v'`.execute(store.db);
      await sql`INSERT INTO agg_daily (project_id, hour, model, version_id, environment, flag, shard, tasks)
        VALUES (${projectId}, ${day - 86_400_000}, '=stray', '', 'default', '', 0, 1)`.execute(store.db);
      await sql`DELETE FROM agg_latency WHERE version_id = ''`.execute(store.db);
      await sql`UPDATE agg_latency_daily SET histogram = '{}' WHERE version_id = '=v'`.execute(store.db);
      await sql`UPDATE agg_users SET tasks = 5 WHERE user_id = 'u1'`.execute(store.db);
      await sql`UPDATE agg_session_starts SET sessions = 0`.execute(store.db);
      const { ok, differences } = await checkAggregates(store.db);
      expect(ok).toBe(false);
      const tables = (prefix: string) => differences.filter((line) => line.startsWith(prefix));
      expect(tables("agg_hourly ")).toEqual([expect.stringContaining("=v")]);
      expect(tables("agg_daily ")).toEqual([expect.stringContaining("=stray")]);
      expect(tables("agg_latency ")).toEqual([expect.stringMatching(/: 0 tasks, tasks say 1$/)]);
      expect(tables("agg_latency_daily ")).toEqual([expect.stringContaining("=v")]);
      expect(tables("user ")).toEqual([expect.stringContaining("tasks is 5, tasks say 1")]);
      expect(tables("sessions started ")).toEqual([expect.stringContaining(String(hour))]);
      // Put them right for the check every test ends with.
      await store.db.transaction().execute((trx) => rebuildAggregates(trx));
    });

    it("lists sessions by most recent activity with filters", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("a", { session_id: "old", created_at: T0, metadata: { user_id: "u1" } }),
        event("b", { session_id: "new", created_at: T0 + 60_000 }),
        event("c", { session_id: "old", created_at: T0 + 120_000 }),
      ]);
      const ids = async (filters: Parameters<typeof store.listSessions>[1]) =>
        (await store.listSessions(projectId, filters, 10)).map((s) => s.id);
      expect(await ids({})).toEqual(["old", "new"]);
      expect(await ids({ userId: "u1" })).toEqual(["old"]);
      expect(await ids({ createdAtStart: T0 + 1 })).toEqual(["new"]);
      expect(await ids({ sessionIds: ["new"] })).toEqual(["new"]);
    });
  });
}

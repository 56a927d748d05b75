/**
 * Durability of the runner with the real `phospho-server` binary: SIGKILL in the middle of a back-fill, restart
 * on the same SQLite file, and every task × definition has exactly one detection, the back-fill counted to its
 * total exactly once; two collectors over one PostgreSQL back-fill 10,000 tasks with no duplicate and none missed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackfill, createDefinition } from "../../src/analytics/index.js";
import { enqueue } from "../../src/jobs/index.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { event } from "../helpers/events.js";
import { createPostgresDatabase, postgresAvailable } from "../helpers/postgres.js";
import { ensureBuilt, startServer, type RunningServer } from "../helpers/server-process.js";

const PROJECT = "durable";
const KEY = "durable-key-padded-to-the-minimum-length-of-32";
const ENV = {
  PHOSPHO_PROJECT_ID: PROJECT,
  PHOSPHO_API_KEY: KEY,
  PHOSPHO_JOBS_POLL_MS: "20",
  PHOSPHO_JOBS_BACKOFF_MS: "20",
  PHOSPHO_JOBS_LEASE_MS: "1500",
};

async function until(condition: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A project with `tasks` tasks, two offline definitions and a back-fill over all of them, queued. */
async function seed(store: KyselyStore, tasks: number): Promise<{ backfillId: string; definitions: number }> {
  await store.createProject(PROJECT, PROJECT);
  await store.createApiKey(PROJECT, { plaintext: KEY });
  for (let start = 0; start < tasks; start += 2_000) {
    const batch = Array.from({ length: Math.min(2_000, tasks - start) }, (_, i) => {
      const n = start + i;
      return event(`t${String(n).padStart(6, "0")}`, {
        input: n % 5 === 0 ? "I need a human, my refund is late" : `question number ${n}`,
        created_at: 1_700_000_000_000 + n,
      });
    });
    await store.ingest(PROJECT, batch);
  }
  const base = { description: "", scope: "input" as const };
  const human = await createDefinition(store.db, PROJECT, {
    ...base,
    name: "Human",
    detector: "keywords",
    config: { keywords: ["human"] },
  });
  const refund = await createDefinition(store.db, PROJECT, {
    ...base,
    name: "Refund",
    detector: "regex",
    config: { pattern: "refunds?\\b" },
  });
  const backfillId = await createBackfill(store.db, PROJECT, [human.id, refund.id], {}, (jobs, trx) =>
    enqueue(trx, jobs, 5),
  );
  return { backfillId, definitions: 2 };
}

async function backfillState(store: KyselyStore, id: string) {
  return store.db.selectFrom("backfills").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function detectionCounts(store: KyselyStore) {
  const total = await store.db
    .selectFrom("detections")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", PROJECT)
    .executeTakeFirstOrThrow();
  const present = await store.db
    .selectFrom("detections")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", PROJECT)
    .where("present", "=", 1)
    .executeTakeFirstOrThrow();
  const perTask = await store.db
    .selectFrom("detections")
    .select(["task_id", "definition_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("project_id", "=", PROJECT)
    .groupBy(["task_id", "definition_id"])
    .having((eb) => eb.fn.countAll(), "!=", 1)
    .execute();
  return { total: Number(total.n), present: Number(present.n), notOne: perTask };
}

const withPostgres = await postgresAvailable();

describe("runner durability", { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "phospho-durable-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("SIGKILL mid-back-fill, restart: exactly one detection per task × definition", async () => {
    const db = join(dir, "durable.db");
    const tasks = 20_000;
    let store = await openStore(db);
    const { backfillId, definitions } = await seed(store, tasks);
    await store.close();

    const first = await startServer(["--port", "0", "--db", db], { ...ENV, PHOSPHO_JOBS_CONCURRENCY: "1" });
    store = await openStore(db);
    let doneAtKill = 0;
    try {
      await until(
        async () => {
          const state = await backfillState(store, backfillId);
          doneAtKill = state.done;
          return state.done > 0;
        },
        60_000,
        5,
      );
      first.child.kill("SIGKILL");
      expect((await first.exited).signal).toBe("SIGKILL");
    } finally {
      first.child.kill("SIGKILL");
    }
    const atKill = await backfillState(store, backfillId);
    console.log(`SIGKILL with the back-fill at ${atKill.done} / ${atKill.total}`);
    expect(doneAtKill).toBeLessThan(tasks);

    const second = await startServer(["--port", "0", "--db", db], ENV);
    try {
      await until(async () => (await backfillState(store, backfillId)).status === "done");
      await until(async () => (await detectionCounts(store)).total === tasks * definitions);
      const state = await backfillState(store, backfillId);
      expect(state.done).toBe(tasks);
      expect(state.total).toBe(tasks);
      const counts = await detectionCounts(store);
      expect(counts.notOne).toEqual([]);
      // Every fifth task asks for a human and for a refund.
      expect(counts.present).toBe((tasks / 5) * 2);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
      await store.close();
    }
  });

  it.runIf(withPostgres)(
    "two collectors over one PostgreSQL back-fill 10,000 tasks: no duplicate, none missed",
    async () => {
      const database = await createPostgresDatabase();
      const tasks = 10_000;
      const store = await openStore(database.url);
      const servers: RunningServer[] = [];
      try {
        const { backfillId, definitions } = await seed(store, tasks);
        servers.push(
          ...(await Promise.all([
            startServer(["--port", "0", "--db", database.url], ENV),
            startServer(["--port", "0", "--db", database.url], ENV),
          ])),
        );
        const workers = new Set<string>();
        await until(
          async () => {
            const running = await store.db
              .selectFrom("jobs")
              .select("locked_by")
              .where("status", "=", "running")
              .execute();
            for (const row of running) if (row.locked_by) workers.add(row.locked_by);
            return (await backfillState(store, backfillId)).status === "done";
          },
          180_000,
          10,
        );
        await until(async () => (await detectionCounts(store)).total === tasks * definitions);
        const state = await backfillState(store, backfillId);
        expect(state).toMatchObject({ total: tasks, done: tasks });
        const counts = await detectionCounts(store);
        expect(counts.notOne).toEqual([]);
        expect(counts.present).toBe((tasks / 5) * 2);
        const failed = await store.db
          .selectFrom("jobs")
          .select("id")
          .where("status", "=", "failed")
          .execute();
        expect(failed).toEqual([]);
        console.log(`two collectors: ${workers.size} workers seen holding jobs`);
      } finally {
        for (const server of servers) server.child.kill("SIGTERM");
        await Promise.all(servers.map((server) => server.exited));
        await store.close();
        await database.drop();
      }
    },
  );
});

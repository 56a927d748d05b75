/**
 * The durable job runner on both engines: idempotent enqueue, retries with backoff then `failed` with the error,
 * retry of failed jobs, lease expiry bringing a dead worker's jobs back, a lost lease rolling back the effects,
 * and (on one database) two runners sharing the work with no job done twice.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countJobs, JobError, JobRunner, listFailed, retryFailed } from "../../src/jobs/index.js";
import { claim, markDone } from "../../src/jobs/queue.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { storeEngines, type TestDatabase } from "../helpers/postgres.js";

const FAST = { pollMs: 5, backoffMs: 5, leaseMs: 2_000 };

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function effects(store: KyselyStore, prefix: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom("settings")
    .select("key")
    .where("key", "like", `${prefix}%`)
    .execute();
  return rows.map((row) => row.key);
}

describe.each(await storeEngines())("job runner on $name", (engine) => {
  let database: TestDatabase;
  let store: KyselyStore;
  const runners: JobRunner[] = [];

  beforeEach(async () => {
    database = await engine.create();
    store = await openStore(database.url);
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await store.close();
    await database.drop();
  });

  function runner(on: KyselyStore = store, options = {}): JobRunner {
    const made = new JobRunner(on.db, on.dialect, { ...FAST, ...options });
    runners.push(made);
    // The effect and the job's completion commit together: a plain INSERT, so a second run would fail loudly.
    made.handle("write", async (job, payload, ctx) => {
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("settings")
          .values({ key: `effect:${(payload as { n: number }).n}`, value: job.id })
          .execute();
        await ctx.done(trx);
      });
    });
    return made;
  }

  it("queues a unique key once and runs the job once", async () => {
    const r = runner();
    const job = { projectId: "p", kind: "write", uniqueKey: "write:1", payload: { n: 1 } };
    await r.enqueue([job, job]);
    await r.enqueue([job]);
    r.start();
    await until(async () => (await countJobs(store.db, "p"))[0]?.done === 1);
    expect(await effects(store, "effect:")).toEqual(["effect:1"]);
    expect(await countJobs(store.db, "p")).toEqual([
      { kind: "write", queued: 0, running: 0, done: 1, failed: 0 },
    ]);
  });

  it("retries with backoff, then shows the job failed with its error, and runs it again on retry", async () => {
    const r = runner(store, { maxAttempts: 3 });
    let calls = 0;
    let healthy = false;
    r.handle("flaky", async () => {
      calls += 1;
      if (!healthy) throw new Error(`endpoint answered 500 (call ${calls})`);
    });
    await r.enqueue([{ projectId: "p", kind: "flaky", uniqueKey: "flaky:1", payload: {} }]);
    r.start();
    await until(async () => (await countJobs(store.db, "p"))[0]?.failed === 1);
    expect(calls).toBe(3);
    const [failed] = await listFailed(store.db, "p");
    expect(failed?.last_error).toBe("endpoint answered 500 (call 3)");
    expect(failed?.attempts).toBe(3);

    healthy = true;
    expect(await retryFailed(store.db, "p", { jobId: failed!.id })).toBe(1);
    await until(async () => (await countJobs(store.db, "p"))[0]?.done === 1);
    expect(calls).toBe(4);
  });

  it("fails at once on an error that says another attempt would fail the same way", async () => {
    const r = runner();
    let calls = 0;
    r.handle("bad", async () => {
      calls += 1;
      throw new JobError("endpoint answered 400: model not found", false);
    });
    await r.enqueue([{ projectId: "p", kind: "bad", uniqueKey: "bad:1", payload: {} }]);
    r.start();
    await until(async () => (await countJobs(store.db, "p"))[0]?.failed === 1);
    expect(calls).toBe(1);
    expect((await listFailed(store.db, "p"))[0]?.last_error).toBe("endpoint answered 400: model not found");
  });

  it("gives a dead worker's job to another once its lease ends, and refuses the dead worker's late commit", async () => {
    const r = runner();
    await r.enqueue([{ projectId: "p", kind: "write", uniqueKey: "write:7", payload: { n: 7 } }]);
    const t0 = Date.now();
    const [dead] = await claim(store.db, store.dialect, "dead-worker", 10, 1_000, t0);
    expect(dead?.locked_by).toBe("dead-worker");
    // Within the lease, nobody else gets it.
    expect(await claim(store.db, store.dialect, "other", 10, 1_000, t0 + 500)).toEqual([]);
    // After it, another worker does, as a new attempt.
    const [taken] = await claim(store.db, store.dialect, "other", 10, 1_000, t0 + 1_500);
    expect(taken?.id).toBe(dead!.id);
    expect(taken?.attempts).toBe(2);
    // The first worker wakes up and tries to commit: its transaction is rolled back, effects included.
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto("settings").values({ key: "effect:late", value: "x" }).execute();
        await markDone(trx, dead!);
      }),
    ).rejects.toThrow(/taken by another worker/);
    expect(await effects(store, "effect:late")).toEqual([]);
  });

  it("runs at most `concurrency` jobs at once", async () => {
    const r = runner(store, { concurrency: 3 });
    let inFlight = 0;
    let most = 0;
    r.handle("slow", async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
    });
    await r.enqueue(
      Array.from({ length: 12 }, (_, i) => ({
        projectId: "p",
        kind: "slow",
        uniqueKey: `s${i}`,
        payload: {},
      })),
    );
    r.start();
    await until(async () => (await countJobs(store.db, "p"))[0]?.done === 12);
    expect(most).toBe(3);
  });

  it("holds back while the store is busy with ingest, one job per deferral, then catches up", async () => {
    let busy = true;
    const made = new JobRunner(store.db, store.dialect, FAST, { busy: () => busy, maxDeferMs: 3_600_000 });
    runners.push(made);
    let runs = 0;
    made.handle("count", async () => {
      runs += 1;
    });
    await made.enqueue(
      Array.from({ length: 5 }, (_, i) => ({
        projectId: "p",
        kind: "count",
        uniqueKey: `c${i}`,
        payload: {},
      })),
    );
    made.start();
    await until(async () => runs === 1);
    for (let i = 0; i < 20; i += 1) await made.tick();
    expect(runs).toBe(1);
    busy = false;
    await until(async () => (await countJobs(store.db, "p"))[0]?.done === 5);
    expect(runs).toBe(5);
  });

  it.runIf(engine.name === "postgres")(
    "two runners over one database share 2,000 jobs: each effect exactly once",
    async () => {
      const second = await openStore(database.url);
      try {
        const a = runner(store, { concurrency: 4 });
        const b = runner(second, { concurrency: 4 });
        await a.enqueue(
          Array.from({ length: 2_000 }, (_, n) => ({
            projectId: "p",
            kind: "write",
            uniqueKey: `w${n}`,
            payload: { n },
          })),
        );
        a.start();
        b.start();
        await until(async () => (await countJobs(store.db, "p"))[0]?.done === 2_000, 60_000);
        await a.stop();
        await b.stop();
        const rows = await store.db
          .selectFrom("settings")
          .select(["key", "value"])
          .where("key", "like", "effect:%")
          .execute();
        expect(rows).toHaveLength(2_000);
        const workers = await store.db.selectFrom("jobs").select("id").execute();
        expect(new Set(rows.map((row) => row.value)).size).toBe(workers.length);
      } finally {
        await second.close();
      }
    },
  );
});

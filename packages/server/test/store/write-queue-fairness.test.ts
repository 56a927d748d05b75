/**
 * Issue 13, item 6: the write queue serves projects in turn, so one project's backlog cannot starve another, and a
 * write whose client has gone is dropped before it runs (in the queue and through a real socket).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { storeEngines } from "../helpers/postgres.js";
import { AbandonedError, WriteQueue } from "../../src/store/write-queue.js";

describe("write queue fairness", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("takes each project's oldest job in turn", async () => {
    // One event per transaction, so the order of the transactions is the order of service.
    const queue = new WriteQueue(t.store.db, 1);
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
    };
    const done = [
      ...[1, 2, 3, 4, 5].map((i) => queue.run(job(`A${i}`), 1, "A")),
      queue.run(job("B1"), 1, "B"),
      queue.run(job("C1"), 1, "C"),
    ];
    await Promise.all(done);
    expect(order).toEqual(["A1", "B1", "C1", "A2", "A3", "A4", "A5"]);
  });

  it("drops a job whose signal was aborted before its turn, unrun", async () => {
    const queue = new WriteQueue(t.store.db);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(() => gate, 1, "A");
    await new Promise((resolve) => setImmediate(resolve));
    const controller = new AbortController();
    let ran = false;
    const second = queue.run(
      async () => {
        ran = true;
      },
      1,
      "B",
      controller.signal,
    );
    controller.abort();
    release();
    await first;
    await expect(second).rejects.toBeInstanceOf(AbandonedError);
    expect(ran).toBe(false);
    expect(queue.stats.abandoned).toBe(1);
  });
});

// On PostgreSQL the blocked write holds one connection of the pool, so the request's key check still runs and its
// batch reaches the queue (on SQLite the one connection is held, and the request waits before its body is read).
const postgres = (await storeEngines()).filter((engine) => engine.name === "postgres");
describe.each(postgres)("a client gone while its batch waits, on $name", (engine) => {
  it("does not store a batch whose client disconnected while it waited", async () => {
    const t = await testApp({}, await engine.create());
    try {
      await t.app.listen({ host: "127.0.0.1", port: 0 });
      const port = (t.app.server.address() as { port: number }).port;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const blocker = t.store.queue.run(() => gate);
      // The blocker is taken into its transaction after one turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      const body = JSON.stringify({ batched_log_events: [{ input: "gone", task_id: "client-gone" }] });
      const req = request({
        host: "127.0.0.1",
        port,
        path: `/v2/log/${t.a.id}`,
        method: "POST",
        headers: {
          authorization: `Bearer ${t.a.key}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      });
      req.on("error", () => {});
      req.end(body);
      // Wait until the batch is queued behind the blocker, then hang up.
      for (
        let i = 0;
        i < 100 && (t.store.queue as unknown as { pending: unknown[] }).pending.length === 0;
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      req.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await blocker;
      await t.store.queue.idle();
      expect(await t.store.getTask(t.a.id, "client-gone")).toBeNull();
      expect(t.store.queue.stats.abandoned).toBe(1);
    } finally {
      await t.close();
    }
  });
});

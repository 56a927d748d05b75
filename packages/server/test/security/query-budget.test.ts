/**
 * Issue 13, item 4: a costly SQLite read runs on a reader process, not on the collector's thread, and is stopped
 * at the query budget. Seeded rows of a megabyte of one letter make a search of 499 of that letter and a `b`
 * cost tens of milliseconds per row (every row is a candidate of its trigrams, and none holds the text), seconds
 * in all. While it runs, `/v2/health` answers and ingest is acknowledged: the check is an order (they settle
 * first), not a duration.
 */
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { event } from "../helpers/events.js";
import { createSqliteDatabase } from "../helpers/postgres.js";

const ROWS = 200;
const BUDGET_MS = 500;

describe("the SQLite query budget", () => {
  const database = createSqliteDatabase();
  let store: KyselyStore;
  let origin: string;
  let projectId: string;
  let key: string;
  let close: () => Promise<void>;
  /** Resolved when a search request reaches its handler: the query starts right after, in the same tick. */
  let searchReached: () => void = () => {};

  beforeAll(async () => {
    // One reader: the costly search holds it, and what must not wait for it is seen not to.
    store = await openStore(database.url, { queryTimeoutMs: BUDGET_MS, readers: 1 });
    projectId = (await store.createProject("A")).id;
    key = (await store.createApiKey(projectId)).key;
    const text = `aab${"a".repeat(1_000_000 - 100)}`;
    for (let i = 0; i < ROWS; i += 10) {
      await store.ingest(
        projectId,
        [...Array(10)].map((_, j) =>
          event(`long-${i + j}`, { input: text, output: null, created_at: null, order: 0 }),
        ),
      );
    }
    await store.ingest(projectId, [
      event("short", { input: "hello world", output: null, created_at: null, order: 0 }),
    ]);
    const app = await buildApp({ store, staticDir: mkdtempSync(join(tmpdir(), "phospho-static-")) });
    app.addHook("preHandler", async (request) => {
      if (request.url.endsWith("/tasks")) searchReached();
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The search indexer takes in the 200 MB of text in the background: until then every search scans it too.
    // This test is about the reader budget, not that lag, so it starts once the index is complete.
    for (const deadline = Date.now() + 100_000; Date.now() < deadline;) {
      const health = (await (await fetch(`${origin}/health`)).json()) as { search: { pending: number } };
      if (health.search.pending === 0) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    close = async () => {
      await app.close();
      await store.close();
      await database.drop();
    };
  }, 120_000);
  afterAll(() => close());

  const search = (text: string) =>
    fetch(`${origin}/v2/projects/${projectId}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ filters: { search: text } }),
    });

  it("keeps health answering while a costly search runs, then stops the search at the budget", async () => {
    const order: string[] = [];
    const reached = new Promise<void>((resolve) => (searchReached = resolve));
    const slow = search(`${"a".repeat(499)}b`).then(async (res) => {
      order.push("search");
      return { status: res.status, body: (await res.json()) as { detail: string } };
    });
    await reached;
    const health = await fetch(`${origin}/v2/health`);
    order.push("health");
    expect(health.status).toBe(200);
    // Ingest checks its key and its project on the main connection: it never queues behind the reader.
    const logged = await fetch(`${origin}/v2/log/${projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        batched_log_events: [{ task_id: "during", input: "logged during the search" }],
      }),
    });
    order.push("log");
    expect(logged.status).toBe(200);
    const stopped = await slow;
    expect(order).toEqual(["health", "log", "search"]);
    expect(stopped.status).toBe(422);
    expect(stopped.body.detail).toContain(`query budget of ${BUDGET_MS} ms (PHOSPHO_QUERY_TIMEOUT_MS)`);
  });

  it("answers the next reads from a new reader, and a read after an acknowledged write sees it", async () => {
    const found = await search("hello");
    expect(found.status).toBe(200);
    expect(((await found.json()) as { tasks: Array<{ id: string }> }).tasks.map((task) => task.id)).toEqual([
      "short",
    ]);
    for (let i = 0; i < 20; i += 1) {
      const res = await fetch(`${origin}/v2/log/${projectId}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ batched_log_events: [{ task_id: `fresh-${i}`, input: `fresh ${i}` }] }),
      });
      expect(res.status).toBe(200);
      const read = await fetch(`${origin}/v2/tasks/fresh-${i}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(read.status).toBe(200);
    }
  });
});

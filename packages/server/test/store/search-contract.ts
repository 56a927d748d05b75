/**
 * Search off the commit path (issue 11), on every engine: a task is found the moment its write commits (on SQLite
 * through the scan of the rows still pending), and again once the indexer has moved it into the full-text index;
 * a change or a deletion changes what matches at once; an interrupted indexer's successor catches up; the lag is
 * reported. PostgreSQL indexes at commit, so there nothing is ever pending and the same searches must hold.
 */
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { openStore } from "../../src/store/index.js";
import { connect } from "../../src/store/connect.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { migrate } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { ftsCandidates } from "../../src/store/queries.js";
import { SearchIndexer } from "../../src/search/index.js";
import type { StoreEngine } from "../helpers/postgres.js";
import { event } from "../helpers/events.js";
import { freshStores } from "../helpers/fresh-store.js";

const T0 = 1_700_000_000_000;

export function runSearchContract(engine: StoreEngine): void {
  describe(`search on ${engine.name}`, () => {
    const { opened, fresh } = freshStores(engine);
    const sqlite = engine.name === "sqlite";

    afterEach(async () => {
      for (const { store, database, indexer } of opened.splice(0)) {
        await indexer?.stop();
        await store.close();
        await database.drop();
      }
    });

    const ids = async (store: KyselyStore, projectId: string, search: string) =>
      (await store.listTasks(projectId, { search }, 50)).map((task) => task.id).sort();

    /** SQLite: the task rowids the full-text index alone matches for `query` (the pending rows left out). */
    async function inIndex(store: KyselyStore, query: string): Promise<string[]> {
      const rows = await sql<{ id: string }>`SELECT id FROM tasks WHERE rowid IN
        (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ${ftsCandidates(query)})`.execute(store.db);
      return rows.rows.map((row) => row.id).sort();
    }

    async function pending(store: KyselyStore): Promise<number> {
      const indexer = new SearchIndexer(store);
      await indexer.refresh();
      return indexer.health().pending;
    }

    it("finds a task as soon as it is stored, then through the index once the indexer has run", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("t1", { input: "What is the capital of France?", output: "Paris" }),
        event("t2", { input: "Refund policy?", output: "Within 30 days" }),
      ]);
      // No indexer has run: the index knows nothing, the pending rows are scanned.
      expect(await ids(store, projectId, "capital of")).toEqual(["t1"]);
      expect(await ids(store, projectId, "PARIS")).toEqual(["t1"]);
      expect(await ids(store, projectId, "30 days")).toEqual(["t2"]);
      if (sqlite) {
        expect(await pending(store)).toBe(2);
        expect(await inIndex(store, "capital of")).toEqual([]);
      }
      await new SearchIndexer(store).drain();
      expect(await pending(store)).toBe(0);
      if (sqlite) expect(await inIndex(store, "capital of")).toEqual(["t1"]);
      expect(await ids(store, projectId, "capital of")).toEqual(["t1"]);
      expect(await ids(store, projectId, "30 days")).toEqual(["t2"]);
      expect(await ids(store, projectId, "nowhere")).toEqual([]);
    });

    it("matches a changed task by its new text only, before and after indexing", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [event("t1", { input: "alpha bravo", output: "one" })]);
      await new SearchIndexer(store).drain();
      await store.ingest(projectId, [event("t1", { input: "charlie delta", output: "two", order: T0 + 1 })]);
      // The index still holds the old text; the exact test of the current row drops it.
      if (sqlite) expect(await inIndex(store, "alpha")).toEqual(["t1"]);
      expect(await ids(store, projectId, "alpha")).toEqual([]);
      expect(await ids(store, projectId, "charlie")).toEqual(["t1"]);
      expect(await ids(store, projectId, "two")).toEqual(["t1"]);
      await new SearchIndexer(store).drain();
      if (sqlite) {
        expect(await inIndex(store, "alpha")).toEqual([]);
        expect(await inIndex(store, "charlie")).toEqual(["t1"]);
      }
      expect(await ids(store, projectId, "alpha")).toEqual([]);
      expect(await ids(store, projectId, "charlie")).toEqual(["t1"]);
    });

    it("drops a deleted task from the results at once and from the index after, even when its rowid is reused", async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [
        event("keep", { input: "echo foxtrot kept" }),
        event("gone", { input: "echo foxtrot removed", created_at: T0 + 1 }),
      ]);
      await new SearchIndexer(store).drain();
      // As a retention sweep would: the row goes, its session and aggregates are not the point here.
      await store.queue.run((trx) =>
        trx.deleteFrom("tasks").where("project_id", "=", projectId).where("id", "=", "gone").execute(),
      );
      expect(await ids(store, projectId, "foxtrot")).toEqual(["keep"]);
      if (sqlite) expect(await pending(store)).toBe(1);
      // SQLite gives the next insert the freed largest rowid: the index must hold the new text, not the old.
      await store.ingest(projectId, [event("new", { input: "golf hotel", created_at: T0 + 2 })]);
      await new SearchIndexer(store).drain();
      expect(await pending(store)).toBe(0);
      if (sqlite) {
        expect(await inIndex(store, "foxtrot")).toEqual(["keep"]);
        expect(await inIndex(store, "removed")).toEqual([]);
        expect(await inIndex(store, "golf")).toEqual(["new"]);
      }
      expect(await ids(store, projectId, "removed")).toEqual([]);
      expect(await ids(store, projectId, "golf hotel")).toEqual(["new"]);
    });

    it("keeps the pending log across a stop and lets the next indexer catch up; reports the lag meanwhile", async () => {
      const { store, projectId, database } = await fresh();
      await store.ingest(
        projectId,
        Array.from({ length: 300 }, (_, i) => event(`t${i}`, { input: `bulk row ${i} india juliet` })),
      );
      const idle = new SearchIndexer(store);
      await idle.refresh();
      if (sqlite) {
        expect(idle.health().pending).toBe(300);
        expect(idle.health().lag_ms).toBeGreaterThanOrEqual(0);
      } else expect(idle.health()).toEqual({ pending: 0, lag_ms: 0 });
      // The collector stops (or dies) before indexing: the log is in the file, the next start finds it.
      await store.close();
      const reopened = await openStore(database.url, { warn: () => {} });
      const indexer = new SearchIndexer(reopened, { pollMs: 10 }).start();
      opened[0] = { store: reopened, database, indexer };
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        await indexer.refresh();
        if (indexer.health().pending === 0) break;
        await new Promise((done) => setTimeout(done, 20));
      }
      expect(indexer.health()).toEqual({ pending: 0, lag_ms: 0 });
      if (sqlite) expect(await inIndex(reopened, "india juliet")).toHaveLength(300);
      expect(await ids(reopened, projectId, "row 299 india")).toEqual(["t299"]);
    });

    it("migrates a store indexed the old way with every task still found, and indexes them all", async () => {
      const database = await engine.create();
      const before = connect(database.url, { warn: () => {} });
      await migrate(
        before.db,
        before.dialect,
        () => {},
        MIGRATIONS.filter((migration) => migration.name < "013"),
      );
      const old = new KyselyStore(before.db, before.dialect);
      const project = await old.createProject("old");
      await old.ingest(project.id, [
        event("a", { input: "kilo lima", output: "mike" }),
        event("b", { input: "november", output: "kilo oscar" }),
      ]);
      await old.close();
      const store = await openStore(database.url, { warn: () => {} });
      opened.push({ store, database });
      expect(await ids(store, project.id, "kilo")).toEqual(["a", "b"]);
      if (sqlite) expect(await pending(store)).toBe(2);
      await new SearchIndexer(store).drain();
      expect(await pending(store)).toBe(0);
      if (sqlite) expect(await inIndex(store, "kilo")).toEqual(["a", "b"]);
      expect(await ids(store, project.id, "oscar")).toEqual(["b"]);
    });
  });
}

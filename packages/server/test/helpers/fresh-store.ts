/** A fresh database of an engine per test, with a store open on it and one project; closed and dropped after. */
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import type { StoreEngine, TestDatabase } from "./postgres.js";

export interface OpenedStore {
  store: KyselyStore;
  database: TestDatabase;
  /** Background work a test started on the store (a search indexer), stopped before the store closes. */
  indexer?: { stop(): Promise<void> };
}

export function freshStores(engine: StoreEngine) {
  const opened: OpenedStore[] = [];
  async function fresh() {
    const database = await engine.create();
    const store = await openStore(database.url, { warn: () => {} });
    opened.push({ store, database });
    const project = await store.createProject("test");
    return { store, projectId: project.id, database };
  }
  return { opened, fresh };
}

/** An in-process collector on a real temporary SQLite file, with two projects (A and B) and a key for each. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp, type BuildAppOptions } from "../../src/app.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { createSqliteDatabase, type TestDatabase } from "./postgres.js";

export interface TestProject {
  id: string;
  key: string;
}

export interface TestApp {
  app: FastifyInstance;
  store: KyselyStore;
  a: TestProject;
  b: TestProject;
  close(): Promise<void>;
  post(url: string, body: unknown, key?: string | null): Promise<LightMyRequestResponse>;
  get(url: string, key?: string | null): Promise<LightMyRequestResponse>;
}

/** `database` defaults to a temporary SQLite file; pass one from `storeEngines()` to run on PostgreSQL. */
export async function testApp(
  options: Omit<BuildAppOptions, "store"> = {},
  database: TestDatabase = createSqliteDatabase(),
): Promise<TestApp> {
  const store = await openStore(database.url);
  const projectA = await store.createProject("A");
  const projectB = await store.createProject("B");
  const a = { id: projectA.id, key: (await store.createApiKey(projectA.id)).key };
  const b = { id: projectB.id, key: (await store.createApiKey(projectB.id)).key };
  const staticDir = mkdtempSync(join(tmpdir(), "phospho-static-"));
  const app = await buildApp({ store, staticDir, ...options });
  const headers = (key: string | null | undefined): Record<string, string> =>
    key ? { authorization: `Bearer ${key}` } : {};
  return {
    app,
    store,
    a,
    b,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
    },
    post: (url, body, key = a.key) =>
      app.inject({
        method: "POST",
        url,
        headers: { ...headers(key), "content-type": "application/json" },
        payload: typeof body === "string" ? body : JSON.stringify(body),
      }),
    get: (url, key = a.key) => app.inject({ method: "GET", url, headers: headers(key) }),
  };
}

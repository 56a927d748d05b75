/** SQLite gets planner statistics: a store that held rows leaves `sqlite_stat1` filled when it closes. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";

it("analyses the tables it has filled, so the planner does not guess", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "phospho-stats-")), "store.db");
  const store = await openStore(path);
  const project = await store.createProject("stats");
  for (let i = 0; i < 20; i++) await store.createApiKey(project.id);
  await store.close();

  const raw = new Database(path, { readonly: true });
  const analysed = raw.prepare("SELECT DISTINCT tbl FROM sqlite_stat1").pluck().all();
  raw.close();
  expect(analysed).toContain("api_keys");
});

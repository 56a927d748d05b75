/**
 * PostgreSQL without the right to create extensions: the migrations still run, a warning says the search index
 * is missing and why, and search still works (by scanning).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { event } from "../helpers/events.js";
import { ADMIN_URL, createPostgresDatabase, postgresAvailable } from "../helpers/postgres.js";

const available = await postgresAvailable();

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe.runIf(available)("PostgreSQL without CREATE on the database", () => {
  it("migrates, warns about the missing pg_trgm index, and still searches", async () => {
    const database = await createPostgresDatabase();
    const role = `phospho_limited_${randomBytes(4).toString("hex")}`;
    const dbName = new URL(database.url).pathname.slice(1);
    await admin(ADMIN_URL, async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN`);
      await client.query(`REVOKE CREATE ON DATABASE ${dbName} FROM PUBLIC`);
    });
    await admin(database.url, (client) => client.query(`GRANT CREATE, USAGE ON SCHEMA public TO ${role}`));
    const limited = new URL(database.url);
    limited.username = role;
    const warnings: string[] = [];
    try {
      const store = await openStore(limited.toString(), { warn: (message) => warnings.push(message) });
      try {
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/^full-text index not created \(.*permission denied.*\)/);
        const project = await store.createProject("limited");
        await store.ingest(project.id, [event("t1", { input: "Searching Without An Index" })]);
        const found = await store.listTasks(project.id, { search: "without an" }, 10);
        expect(found.map((task) => task.id)).toEqual(["t1"]);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
      await admin(ADMIN_URL, (client) => client.query(`DROP ROLE IF EXISTS ${role}`));
    }
  });
});

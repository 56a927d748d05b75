/** A throwaway PostgreSQL database per benchmark: created before, dropped after (even when the run fails). */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const adminUrl =
  process.env.PHOSPHO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createTempDatabase(prefix = "phospho_bench"): Promise<TempDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Size on disk of a PostgreSQL database, in bytes. */
export async function databaseSize(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ size: string }>("select pg_database_size(current_database())::text as size");
    return Number(r.rows[0]?.size ?? Number.NaN);
  } finally {
    await c.end();
  }
}

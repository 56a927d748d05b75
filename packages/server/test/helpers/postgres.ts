/**
 * Test databases. PostgreSQL: a fresh `phospho_test_<random>` database per call, created through the admin URL
 * `PHOSPHO_TEST_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/postgres) and dropped after. When the
 * server is unreachable the PostgreSQL half is skipped with a printed notice, unless PHOSPHO_REQUIRE_POSTGRES=1.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Dialect } from "../../src/store/types.js";

export const ADMIN_URL =
  process.env.PHOSPHO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface StoreEngine {
  name: Dialect;
  /** A new, empty database of this engine. */
  create(): Promise<TestDatabase>;
}

let reachable: Promise<boolean> | undefined;

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    if (process.env.PHOSPHO_REQUIRE_POSTGRES === "1") {
      throw new Error(`PostgreSQL is required (PHOSPHO_REQUIRE_POSTGRES=1) but ${ADMIN_URL} is unreachable`, {
        cause: error,
      });
    }
    console.warn(
      `[notice] PostgreSQL at ${ADMIN_URL} is unreachable: skipping the PostgreSQL half of these tests`,
    );
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function postgresAvailable(): Promise<boolean> {
  reachable ??= probe();
  return reachable;
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `phospho_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "phospho-test-"));
  return {
    url: join(dir, "phospho.db"),
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SQLite always; PostgreSQL when reachable (or required). Use with `describe.each(await storeEngines())`. */
export async function storeEngines(): Promise<StoreEngine[]> {
  const engines: StoreEngine[] = [{ name: "sqlite", create: async () => createSqliteDatabase() }];
  if (await postgresAvailable()) engines.push({ name: "postgres", create: createPostgresDatabase });
  return engines;
}

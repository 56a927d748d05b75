/**
 * Opens a Kysely instance over SQLite (better-sqlite3) or PostgreSQL (pg), chosen from the URL.
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { cachingDatabase } from "./statement-cache.js";
import type { Dialect } from "./types.js";

// BIGINT (oid 20) columns hold millisecond times and counts: well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface Connection {
  dialect: Dialect;
  db: Kysely<Database>;
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

/** `sqlite:/abs/path`, `sqlite:relative/path`, `sqlite:///abs/path`, `file:` URLs, or a plain path. */
export function sqlitePathFromUrl(url: string): string {
  if (url === ":memory:" || url === "sqlite::memory:") return ":memory:";
  if (url.startsWith("file:")) return fileURLToPath(url);
  if (url.startsWith("sqlite://")) return url.slice("sqlite://".length);
  if (url.startsWith("sqlite:")) return url.slice("sqlite:".length);
  return url;
}

/** The database file and its WAL and shared-memory files, readable and writable by their owner only. */
function ownerOnly(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

export function connect(url: string): Connection {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
    // A client that loses its server must not crash the process. The pool listens on idle clients ("error"
    // below); a client checked out between two statements has no listener, and its 'error' event would be an
    // uncaught exception. Its query in flight still rejects (answered 503), and the pool drops it on release.
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    return { dialect: "postgres", db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) };
  }
  const path = sqlitePathFromUrl(url);
  // The database holds the secret that signs dashboard cookies and every logged text: owner-only, like a key file.
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
  const database = new SqliteDatabase(path, { timeout: 5_000 });
  database.pragma("journal_mode = WAL");
  if (path !== ":memory:") ownerOnly(path);
  // FULL: a commit is on disk before the reply, even across power loss; group commit amortises the fsync.
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = OFF");
  database.pragma("temp_store = MEMORY");
  database.pragma("cache_size = -32000");
  database.pragma("wal_autocheckpoint = 4000");
  return {
    dialect: "sqlite",
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(database) }) }),
  };
}

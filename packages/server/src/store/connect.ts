/**
 * Opens a Kysely instance over SQLite (better-sqlite3) or PostgreSQL (pg), chosen from the URL.
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { fullCause, isDiskFull } from "./disk-full.js";
import { ReaderPool, ReaderPoolDialect } from "./sqlite-readers/index.js";
import { cachingDatabase } from "./statement-cache.js";
import type { Dialect } from "./types.js";

// BIGINT (oid 20) columns hold millisecond times and counts: well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface Connection {
  dialect: Dialect;
  db: Kysely<Database>;
  /** Set when SQLite could only be opened for reading because its disk is full (see `openSqlite`). */
  fullDisk?: string | undefined;
}

/** Where SQLite reads run, and for how long (`sqlite-readers/`). PostgreSQL ignores them. */
export interface ReadOptions {
  /**
   * Reader processes for SQLite reads; 0 runs every read on the main thread (as `:memory:` always does, since
   * another process cannot open it). Default 2 (`PHOSPHO_SQLITE_READERS`).
   */
  readers?: number | undefined;
  /** Longest one SQLite read statement may run before it is stopped, ms. Default 10,000 (`PHOSPHO_QUERY_TIMEOUT_MS`). */
  queryTimeoutMs?: number | undefined;
  warn?: ((message: string) => void) | undefined;
}

export const DEFAULT_SQLITE_READERS = 2;
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

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

export function connect(url: string, options: ReadOptions = {}): Connection {
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
  const { database, fullDisk } = openSqlite(path);
  if (path !== ":memory:") ownerOnly(path);
  // FULL: a commit is on disk before the reply, even across power loss; group commit amortises the fsync.
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = OFF");
  database.pragma("temp_store = MEMORY");
  database.pragma("cache_size = -32000");
  database.pragma("wal_autocheckpoint = 4000");
  const config = { database: cachingDatabase(database) };
  const readers =
    path === ":memory:" || fullDisk !== undefined ? 0 : (options.readers ?? DEFAULT_SQLITE_READERS);
  const pool =
    readers === 0
      ? null
      : new ReaderPool({
          path: resolve(path),
          size: readers,
          budgetMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
          warn: options.warn ?? ((message) => console.warn(`phospho-server: ${message}`)),
        });
  const dialect = new ReaderPoolDialect(config, pool, () => database.inTransaction);
  return { dialect: "sqlite", db: new Kysely<Database>({ dialect }), fullDisk };
}

/**
 * Opens SQLite in WAL mode. Every WAL connection sizes a shared WAL index (the `-shm` file) at its first access,
 * which fails on a full disk (SQLITE_IOERR_SHMSIZE): then not even a read works. In EXCLUSIVE locking mode SQLite
 * keeps the index in its own memory instead, so the store opens, serves reads, and commits again once space is
 * freed; the price is that no other process (reader processes, a CLI command) can open the file until the
 * collector restarts.
 */
function openSqlite(path: string): { database: SqliteDatabase.Database; fullDisk?: string } {
  const database = new SqliteDatabase(path, { timeout: 5_000 });
  try {
    database.pragma("journal_mode = WAL");
    return { database };
  } catch (error) {
    database.close();
    if (!isDiskFull(error)) throw error;
    const exclusive = new SqliteDatabase(path, { timeout: 5_000, fileMustExist: true });
    exclusive.pragma("locking_mode = EXCLUSIVE");
    exclusive.prepare("SELECT count(*) FROM sqlite_schema").get();
    return { database: exclusive, fullDisk: fullCause(error) };
  }
}

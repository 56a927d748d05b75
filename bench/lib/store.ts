/**
 * Direct access to a store's database for the bench: create the schema with the collector's own migrations
 * (so indexes and full-text triggers are exactly the product's), then insert rows in batches with the same
 * drivers the collector uses (better-sqlite3, pg).
 */
import { statSync, existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { requirePart, serverStoreEntry } from "./paths.js";
import { TASK_COLUMNS, type TaskRecord } from "./rows.js";

interface StoreModule {
  openStore(url: string, options?: { warn?: (m: string) => void }): Promise<{ close(): Promise<void> }>;
}

/** Runs the collector's migrations on an empty database (SQLite path or postgres:// URL). */
export async function migrateStore(url: string): Promise<void> {
  const file = requirePart("The collector's store (packages/server)", serverStoreEntry);
  const mod = (await import(pathToFileURL(file).href)) as StoreModule;
  const store = await mod.openStore(url, { warn: () => {} });
  await store.close();
}

/** Opens a SQLite file with the collector's pragmas (WAL, synchronous FULL). */
export function openSqlite(file: string): Database.Database {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("temp_store = MEMORY");
  db.pragma("cache_size = -32000");
  return db;
}

/** A function inserting one batch of task rows in one transaction. */
export function sqliteTaskInserter(db: Database.Database): (rows: TaskRecord[]) => void {
  const stmt = db.prepare(
    `INSERT INTO tasks (${TASK_COLUMNS.join(", ")}) VALUES (${TASK_COLUMNS.map((c) => `@${c}`).join(", ")})`,
  );
  return db.transaction((rows: TaskRecord[]) => {
    for (const row of rows) stmt.run(row);
  });
}

/** One multi-row INSERT (its own transaction) per batch, as a tuned single-process writer would do. */
export async function pgInsertRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const marks = columns.map((c) => {
      params.push(row[c] ?? null);
      return `$${params.length}`;
    });
    return `(${marks.join(", ")})`;
  });
  await client.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, params);
}

export function sqliteSizeBytes(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) total += statSync(f).size;
  return total;
}

export function countSqliteTasks(file: string): number {
  const db = new Database(file, { readonly: true, timeout: 5_000 });
  try {
    return (db.prepare("SELECT count(*) AS n FROM tasks").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function countPgTasks(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>("SELECT count(*)::text AS n FROM tasks");
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

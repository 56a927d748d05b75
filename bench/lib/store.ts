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

/** Opens a SQLite file with the collector's pragmas (packages/server/src/store/connect.ts). */
export function openSqlite(file: string): Database.Database {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = OFF");
  db.pragma("temp_store = MEMORY");
  db.pragma("cache_size = -32000");
  db.pragma("wal_autocheckpoint = 4000");
  return db;
}

/**
 * A function inserting one batch of task rows in one transaction, as one multi-row INSERT: measured about twice
 * as fast as one prepared INSERT per row here (the full-text trigger's work dominates either way).
 */
export function sqliteTaskInserter(db: Database.Database): (rows: TaskRecord[]) => void {
  const statements = new Map<number, Database.Statement>();
  const tuple = `(${TASK_COLUMNS.map(() => "?").join(", ")})`;
  const statement = (count: number) => {
    let stmt = statements.get(count);
    if (!stmt) {
      stmt = db.prepare(
        `INSERT INTO tasks (${TASK_COLUMNS.join(", ")}) VALUES ${Array(count).fill(tuple).join(", ")}`,
      );
      statements.set(count, stmt);
    }
    return stmt;
  };
  return db.transaction((rows: TaskRecord[]) => {
    // SQLite allows 32,766 parameters per statement: 936 rows of 35 columns.
    for (let i = 0; i < rows.length; i += 900) {
      const part = rows.slice(i, i + 900);
      statement(part.length).run(part.flatMap((row) => TASK_COLUMNS.map((c) => row[c])));
    }
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

interface FullStore {
  close(): Promise<void>;
  getProject(id: string): Promise<unknown>;
  createProject(name: string, id?: string): Promise<unknown>;
  createApiKey(projectId: string, opts?: { plaintext?: string; name?: string }): Promise<unknown>;
}

/** Ensures a project and a key exist in a store (for a second project the collector's env does not create). */
export async function ensureProject(url: string, projectId: string, apiKey: string): Promise<void> {
  const file = requirePart("The collector's store (packages/server)", serverStoreEntry);
  const mod = (await import(pathToFileURL(file).href)) as {
    openStore(url: string, o?: object): Promise<FullStore>;
  };
  const store = await mod.openStore(url, { warn: () => {} });
  try {
    if (!(await store.getProject(projectId))) await store.createProject(projectId, projectId);
    await store.createApiKey(projectId, { plaintext: apiKey, name: "bench" }).catch(() => {});
  } finally {
    await store.close();
  }
}

/** The ids among `ids` that are stored, and each stored session's recorded length against its task count. */
export async function storedTasks(
  url: string,
  projectId: string,
): Promise<{ ids: Set<string>; sessionMismatches: number }> {
  const sessionsSql = `SELECT s.id, s.session_length AS len, (SELECT count(*) FROM tasks t WHERE t.project_id = s.project_id AND t.session_id = s.id) AS n FROM sessions s WHERE s.project_id = $1`;
  if (url.startsWith("postgres")) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const ids = (await c.query<{ id: string }>("SELECT id FROM tasks WHERE project_id = $1", [projectId]))
        .rows;
      const sessions = (await c.query<{ len: number; n: string }>(sessionsSql, [projectId])).rows;
      return {
        ids: new Set(ids.map((r) => r.id)),
        sessionMismatches: sessions.filter((s) => Number(s.len) !== Number(s.n)).length,
      };
    } finally {
      await c.end();
    }
  }
  const db = new Database(url, { readonly: true, timeout: 5_000 });
  try {
    const ids = db.prepare("SELECT id FROM tasks WHERE project_id = ?").all(projectId) as Array<{
      id: string;
    }>;
    const sessions = db.prepare(sessionsSql.replace("$1", "?")).all(projectId) as Array<{
      len: number;
      n: number;
    }>;
    return {
      ids: new Set(ids.map((r) => r.id)),
      sessionMismatches: sessions.filter((s) => s.len !== s.n).length,
    };
  } finally {
    db.close();
  }
}

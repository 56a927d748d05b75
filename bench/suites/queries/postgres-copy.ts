/**
 * A seeded SQLite store copied into a fresh PostgreSQL database migrated by the collector, loaded the way a bulk
 * import is: the database's own secondary indexes (the GIN trigram and metadata indexes among them) are dropped
 * before the load and created again from their exact definitions (`pg_get_indexdef`) once after it, two at a
 * time, instead of being updated row by row; rows go over as JSON batches, the next one read while the previous
 * one is inserted. The aggregate tables are copied too (the SQLite store's were recounted by the
 * collector's code); the caller then runs the collector's consistency check on the copy.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { migrateStore } from "../../lib/store.js";

/** Every table the seed fills or the collector's recount wrote, in an order that keeps references valid. */
const TABLES = [
  "projects",
  "api_keys",
  "sessions",
  "evals",
  "tasks",
  "agg_hourly",
  "agg_daily",
  "agg_latency",
  "agg_latency_daily",
  "agg_users",
  "agg_session_starts",
];
/** Rows per INSERT (a few MB of JSON). */
const BATCH_ROWS = 2_000;

export interface CopyTimes {
  /** Rows inserted, indexes absent. */
  loadMs: number;
  /** Secondary indexes created again. */
  indexMs: number;
  analyzeMs: number;
}

interface DeferredIndex {
  name: string;
  definition: string;
}

/** Secondary indexes of `tables` (not those backing a primary key or unique constraint), with their DDL. */
async function secondaryIndexes(client: pg.Client, tables: readonly string[]): Promise<DeferredIndex[]> {
  const result = await client.query<DeferredIndex>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_am am ON am.oid = i.relam
     WHERE n.nspname = current_schema() AND t.relname = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
     ORDER BY pg_relation_size(t.oid) DESC, am.amname = 'gin' DESC, i.relname`,
    [tables],
  );
  return result.rows;
}

/**
 * One INSERT per batch, its rows as one JSON parameter expanded by `json_populate_recordset`: half the server's
 * CPU time of a multi-row INSERT with a parameter per value (measured at 100,000 tasks: 2.4 s against 4.4 s).
 */
function insertJson(client: pg.Client, table: string, columns: string[], rows: unknown[]): Promise<unknown> {
  const list = columns.join(", ");
  return client.query(
    `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`,
    [JSON.stringify(rows)],
  );
}

async function copyTable(source: Database.Database, client: pg.Client, table: string): Promise<void> {
  const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
    (c) => c.name,
  );
  const rows = source.prepare(`SELECT ${columns.join(", ")} FROM ${table}`).iterate();
  let batch: unknown[] = [];
  let running: Promise<unknown> = Promise.resolve();
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= BATCH_ROWS) {
      const full = batch;
      batch = [];
      await running;
      running = insertJson(client, table, columns, full);
    }
  }
  await running;
  if (batch.length > 0) await insertJson(client, table, columns, batch);
}

/**
 * Creates the indexes on `connections` sessions at once, largest table first and GIN first within it: the
 * trigram index takes most of the time (8 of 9.5 s of server CPU at 100,000 tasks), the B-trees build beside it.
 */
async function createIndexes(url: string, indexes: DeferredIndex[], connections: number): Promise<void> {
  const queue = [...indexes];
  await Promise.all(
    Array.from({ length: Math.min(connections, queue.length) }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query("SET maintenance_work_mem = '1GB'");
        for (let next = queue.shift(); next; next = queue.shift()) await client.query(next.definition);
      } finally {
        await client.end();
      }
    }),
  );
}

export async function copyToPostgres(file: string, url: string): Promise<CopyTimes> {
  await migrateStore(url);
  const source = new Database(file, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A failed copy is dropped with its database: no need to wait for each commit's flush.
    await client.query("SET synchronous_commit = off");
    const indexes = await secondaryIndexes(client, TABLES);
    for (const index of indexes) await client.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
    let t = performance.now();
    for (const table of TABLES) {
      await client.query(`DELETE FROM ${table}`);
      await copyTable(source, client, table);
    }
    const loadMs = performance.now() - t;
    t = performance.now();
    await createIndexes(url, indexes, 2);
    const indexMs = performance.now() - t;
    t = performance.now();
    await client.query("ANALYZE");
    return { loadMs, indexMs, analyzeMs: performance.now() - t };
  } finally {
    await client.end();
    source.close();
  }
}

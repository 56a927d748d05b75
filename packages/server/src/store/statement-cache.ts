/**
 * Prepared statements kept and reused. Kysely hands better-sqlite3 the SQL of every query and prepares it anew,
 * which a profile of ingest showed as about 8 % of the time; the store's SQL texts repeat (the same few shapes,
 * with `?` parameters), so a small LRU of prepared statements by SQL text removes that. Statements are run
 * synchronously by Kysely's driver (never left mid-iteration), so one statement is never in use twice.
 */
import type SqliteDatabase from "better-sqlite3";

/** Distinct SQL texts kept; multi-row inserts of varying lengths are the main source of variety. */
const CAPACITY = 500;

export interface StatementSource {
  close(): void;
  prepare(sql: string): SqliteDatabase.Statement;
}

export function cachingDatabase(database: StatementSource, capacity = CAPACITY): StatementSource {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      let statement = cache.get(sql);
      if (statement) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

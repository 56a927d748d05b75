/** The messages between the collector and its SQLite reader processes (`reader-process.ts`). */

/** One statement to run: a read, or `begin` / `commit` / `rollback` of a read-only transaction. */
export interface ReadRequest {
  id: number;
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A result travels as its column names once and each row as an array of values (better-sqlite3's raw mode):
 * building and serialising 50 row objects of 20 named columns cost the reader twice what the arrays do, and the
 * names were sent again with every row. `Reader` turns them back into objects.
 */
export type ReaderMessage =
  | { ready: true }
  | { id: number; columns: string[]; rows: unknown[][] }
  | { id: number; error: { message: string; code: string | undefined } };

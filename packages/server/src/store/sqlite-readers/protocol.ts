/** The messages between the collector and its SQLite reader processes (`reader-process.ts`). */

/** One statement to run: a read, or `begin` / `commit` / `rollback` of a read-only transaction. */
export interface ReadRequest {
  id: number;
  sql: string;
  parameters: readonly unknown[];
}

export type ReaderMessage =
  | { ready: true }
  | { id: number; rows: unknown[] }
  | { id: number; error: { message: string; code: string | undefined } };

/**
 * A SQLite reader: a child process of the collector with its own read-only connection to the same WAL database
 * (WAL readers never block the writer, nor it them). It runs the statements it is sent one at a time, in order,
 * and answers each with its rows or its error. The collector kills it when a statement runs past the query
 * budget: that is the only way to stop a statement in better-sqlite3, which has neither `sqlite3_interrupt` nor a
 * progress handler (a worker thread cannot be stopped in the middle of a native call either).
 */
import SqliteDatabase from "better-sqlite3";
import { cachingDatabase } from "../statement-cache.js";
import type { ReaderMessage, ReadRequest } from "./protocol.js";

const path = process.argv[2];
if (!path || !process.send) {
  console.error("reader-process: start it through ReaderPool, with the database path as its argument");
  process.exit(2);
}
const send = (message: ReaderMessage): void => {
  process.send!(message);
};

const database = new SqliteDatabase(path, { readonly: true, fileMustExist: true, timeout: 5_000 });
database.pragma("cache_size = -16000");
database.pragma("temp_store = MEMORY");
const statements = cachingDatabase(database, 200);

process.on("message", (request: ReadRequest) => {
  try {
    const statement = statements.prepare(request.sql);
    if (statement.reader) {
      const rows = statement.raw(true).all(request.parameters) as unknown[][];
      send({ id: request.id, columns: statement.columns().map((column) => column.name), rows });
    } else {
      statement.run(request.parameters);
      send({ id: request.id, columns: [], rows: [] });
    }
  } catch (error) {
    const { message, code } = error as { message: string; code?: unknown };
    send({ id: request.id, error: { message, code: typeof code === "string" ? code : undefined } });
  }
});
// The collector has gone (or closed its store): so does its reader.
process.on("disconnect", () => {
  database.close();
  process.exit(0);
});
send({ ready: true });

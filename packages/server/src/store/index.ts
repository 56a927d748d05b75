/**
 * `openStore(url)`: SQLite for a path or `sqlite:` URL, PostgreSQL for `postgres://` / `postgresql://`. Runs the
 * migrations before returning.
 */
import { connect, type ReadOptions } from "./connect.js";
import { refreshSqliteStatistics } from "./sqlite-statistics.js";
import { KyselyStore } from "./kysely-store.js";
import { migrate } from "./migrate.js";

export class StoreOpenError extends Error {
  override readonly name = "StoreOpenError";
}

export interface OpenStoreOptions extends ReadOptions {
  /** Where migration warnings go (for example a missing pg_trgm). Default: console.warn. */
  warn?: (message: string) => void;
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<KyselyStore> {
  const warn = options.warn ?? ((message: string) => console.warn(`phospho-server: ${message}`));
  let connection;
  try {
    connection = connect(url, { ...options, warn });
  } catch (error) {
    throw new StoreOpenError(`cannot open the store ${redact(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await migrate(connection.db, connection.dialect, warn);
  } catch (error) {
    await connection.db.destroy().catch(() => {});
    throw new StoreOpenError(`cannot open the store ${redact(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (connection.dialect === "sqlite") await refreshSqliteStatistics(connection.db);
  return new KyselyStore(connection.db, connection.dialect, connection.fullDisk);
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, "$1:***@");
}

export type { Store } from "./types.js";
export type { ReadOptions } from "./connect.js";
export { KyselyStore } from "./kysely-store.js";
export { onMainConnection } from "./sqlite-readers/index.js";

/**
 * A Kysely SQLite dialect that sends reads to the reader pool and keeps everything else on the collector's own
 * connection. A connection is routed at its first statement:
 * - a SELECT outside a transaction runs on any free reader (rows as of the last commit, so a read after an
 *   acknowledged write sees it);
 * - a transaction begun `read only` (`db.transaction().setAccessMode("read only")`) holds one reader to its end,
 *   so its statements share one snapshot;
 * - anything else (writes, read-write transactions, PRAGMAs, raw BEGIN, reads marked `onMainConnection`) takes the
 *   main connection, as Kysely's
 *   own SQLite driver does, and keeps it until released.
 * When the pool cannot start a reader, or there is none (`:memory:`, `PHOSPHO_SQLITE_READERS=0`), reads run on the
 * main connection.
 */
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
  type TransactionSettings,
} from "kysely";
import { ReaderStartError, type Reader, type ReaderPool } from "./pool.js";

/** Raw SQL (`sql\`…\``) that only reads: a plain SELECT. A WITH may end in a write, so it stays on the writer. */
const RAW_READ = /^\s*select\b/i;

/**
 * Marks a read that stays on the main connection: `.modifyFront(onMainConnection)`. For the point reads that every
 * request makes (its key, its dashboard session, its project), so that ingest and sign-in never queue behind costly
 * reads that hold every reader.
 */
const MAIN_HINT = "/* phospho:main */";
export const onMainConnection = sql.raw(MAIN_HINT);

function isRead(query: CompiledQuery): boolean {
  if (query.sql.includes(MAIN_HINT)) return false;
  if (SelectQueryNode.is(query.query)) return true;
  return query.query.kind === "RawNode" && RAW_READ.test(query.sql);
}

export class ReaderPoolDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    /** Null: every statement on the main connection. */
    private readonly pool: ReaderPool | null,
    /** Whether the main connection is inside a transaction (better-sqlite3's `inTransaction`). */
    private readonly inTransaction: () => boolean,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new RoutingDriver(super.createDriver(), this.pool, this.inTransaction);
  }
}

class RoutingDriver implements Driver {
  constructor(
    private readonly main: Driver,
    private readonly pool: ReaderPool | null,
    private readonly inTransaction: () => boolean,
  ) {}

  init(): Promise<void> {
    return this.main.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.main, this.pool);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const routed = connection as RoutedConnection;
    if (settings.accessMode === "read only" && (await routed.leaseReader())) {
      await routed.executeQuery(CompiledQuery.raw("begin"));
      return;
    }
    await this.main.beginTransaction(await routed.onMain(), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    // A reader stopped past the budget took its transaction with it.
    if (routed.reader && !routed.reader.alive) return;
    // SQLite has already rolled back by itself (a full disk at COMMIT, for one): a ROLLBACK now would fail with
    // "no transaction is active", and Kysely would throw that instead of the cause.
    if (!routed.reader && !this.inTransaction()) return;
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).release();
  }

  async destroy(): Promise<void> {
    await this.pool?.close();
    await this.main.destroy();
  }
}

class RoutedConnection implements DatabaseConnection {
  reader: Reader | null = null;
  private main: DatabaseConnection | null = null;

  constructor(
    private readonly mainDriver: Driver,
    private readonly pool: ReaderPool | null,
  ) {}

  /** The main connection, taken (and held until release) the first time it is needed. */
  async onMain(): Promise<DatabaseConnection> {
    this.main ??= await this.mainDriver.acquireConnection();
    return this.main;
  }

  /** Holds a reader for a read-only transaction; false when the pool is unusable (then the main connection serves). */
  async leaseReader(): Promise<boolean> {
    if (!this.pool || this.pool.broken) return false;
    try {
      this.reader = await this.pool.acquire();
      return true;
    } catch (error) {
      if (error instanceof ReaderStartError) return false;
      throw error;
    }
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.reader) return { rows: (await this.reader.run(query.sql, query.parameters)) as R[] };
    if (this.pool && !this.main && !this.pool.broken && isRead(query)) {
      try {
        return { rows: (await this.pool.run(query.sql, query.parameters)) as R[] };
      } catch (error) {
        if (!(error instanceof ReaderStartError)) throw error;
      }
    }
    return (await this.onMain()).executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield* (await this.onMain()).streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    if (this.reader) this.pool?.release(this.reader);
    if (this.main) await this.mainDriver.releaseConnection(this.main);
    this.reader = null;
    this.main = null;
  }
}

/**
 * A small pool of SQLite reader processes (`reader-process.ts`), started on demand up to `size`. Each statement
 * gets the query budget: past it, its reader is killed, which stops the statement, and the read fails with
 * `QueryBudgetError`; a new reader replaces it when one is next needed. A read that finds every reader busy waits
 * at most one budget, then fails with `ReadersBusyError`.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { setPriority } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { QueryBudgetError, ReadersBusyError } from "./errors.js";
import type { ReaderMessage, ReadRequest } from "./protocol.js";

export interface ReaderPoolOptions {
  /** The SQLite file (never `:memory:`, which another process cannot open). */
  path: string;
  /** Most reader processes. */
  size: number;
  /** Longest a statement may run, and longest a read waits for a free reader, in ms. */
  budgetMs: number;
  /** Where a reader that cannot start is reported. */
  warn: (message: string) => void;
}

/** Niceness of reader processes (0 is the collector's; 19 the lowest priority). */
const READER_NICENESS = 10;

interface InFlight {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  resolve: (reader: Reader) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A reader that could not start: the pool is then unusable, and its user falls back to its own connection. */
export class ReaderStartError extends Error {
  override readonly name = "ReaderStartError";
}

/** Its statements run in order on one connection, so a lease holds a read-only transaction. */
export class Reader {
  private nextId = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private gone: Error | null = null;
  readonly ready: Promise<void>;
  busy = true;

  constructor(
    readonly child: ChildProcess,
    private readonly budgetMs: number,
    private readonly onGone: (reader: Reader) => void,
  ) {
    this.ready = new Promise((resolve, reject) => {
      child.on("message", (message: ReaderMessage) => {
        if ("ready" in message) {
          this.idle();
          resolve();
          return;
        }
        const pending = this.inFlight.get(message.id);
        if (!pending) return;
        this.inFlight.delete(message.id);
        clearTimeout(pending.timer);
        if (this.inFlight.size === 0) this.idle();
        if ("rows" in message) pending.resolve(rowObjects(message.columns, message.rows));
        else pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      });
      child.on("exit", (code, signal) => {
        const error = new ReaderStartError(`a SQLite reader exited (${code ?? signal})`);
        this.fail(error);
        reject(error);
      });
      child.on("error", (error) => {
        this.fail(error);
        reject(new ReaderStartError(`a SQLite reader could not start: ${error.message}`));
      });
    });
    // The reader keeps the collector alive only while it starts or runs a statement.
    this.ready.catch(() => {});
  }

  get alive(): boolean {
    return this.gone === null;
  }

  run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.gone) return Promise.reject(this.gone);
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.inFlight.delete(id);
        reject(new QueryBudgetError(this.budgetMs));
        this.fail(new QueryBudgetError(this.budgetMs));
        this.child.kill("SIGKILL");
      }, this.budgetMs);
      this.inFlight.set(id, { resolve, reject, timer });
      this.child.channel?.ref();
      const request: ReadRequest = { id, sql, parameters };
      this.child.send(request);
    });
  }

  /** Resolves once the process has exited (it closes its connection when disconnected). */
  close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    // Waiting for it must keep the collector alive (an idle reader is unreferenced).
    this.child.ref();
    // A reader in the middle of a statement would read its disconnection only after it.
    if (this.child.connected && this.inFlight.size === 0) this.child.disconnect();
    else this.child.kill("SIGKILL");
    return exited;
  }

  private idle(): void {
    this.child.channel?.unref();
    this.child.unref();
  }

  private fail(error: Error): void {
    if (this.gone) return;
    this.gone = error;
    for (const pending of this.inFlight.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.inFlight.clear();
    this.onGone(this);
  }
}

/**
 * The rows as better-sqlite3 would have returned them: one object per row, keys in column order (a repeated
 * name keeps its first place and its last value).
 */
function rowObjects(columns: string[], rows: unknown[][]): Array<Record<string, unknown>> {
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return row;
  });
}

export class ReaderPool {
  private readonly readers = new Set<Reader>();
  private waiters: Waiter[] = [];
  private closed = false;
  /** Set once a reader fails to start: the pool is not used again. */
  broken: Error | null = null;

  constructor(private readonly options: ReaderPoolOptions) {}

  get budgetMs(): number {
    return this.options.budgetMs;
  }

  /** One statement on any free reader. */
  async run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    const reader = await this.acquire();
    try {
      return await reader.run(sql, parameters);
    } finally {
      this.release(reader);
    }
  }

  /** A reader of one's own until `release`, for a read-only transaction. */
  acquire(): Promise<Reader> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new ReaderStartError("the store is closed"));
    for (const reader of this.readers) {
      if (!reader.busy && reader.alive) {
        reader.busy = true;
        return Promise.resolve(reader);
      }
    }
    if (this.readers.size < this.options.size) {
      const reader = this.spawn();
      return reader.ready.then(() => reader);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          reject(new ReadersBusyError(this.options.budgetMs));
        }, this.options.budgetMs),
      };
      this.waiters.push(waiter);
    });
  }

  release(reader: Reader): void {
    reader.busy = false;
    if (!reader.alive) return;
    const waiter = this.waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    reader.busy = true;
    waiter.resolve(reader);
  }

  /**
   * Ends every reader and waits for them: the collector's own connection must close last, as the last connection
   * of a WAL database checkpoints it and removes its `-wal` and `-shm` files.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new ReaderStartError("the store is closed"));
    }
    const readers = [...this.readers];
    this.readers.clear();
    await Promise.all(readers.map((reader) => reader.close()));
  }

  private spawn(): Reader {
    const script = readerScript();
    const child = fork(script.path, [this.options.path], {
      execArgv: script.execArgv,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const reader = new Reader(child, this.options.budgetMs, (gone) => this.forget(gone));
    // Below the collector's own priority once started (a start at low priority on a loaded machine takes seconds):
    // costly reads on every core must not starve health checks and ingest.
    reader.ready.then(
      () => {
        try {
          if (child.pid !== undefined) setPriority(child.pid, READER_NICENESS);
        } catch {
          // Not permitted here: the reader runs at the collector's priority.
        }
      },
      () => {},
    );
    this.readers.add(reader);
    return reader;
  }

  /** A reader has gone (stopped past the budget, or crashed): a new one takes the oldest waiting read. */
  private forget(reader: Reader): void {
    this.readers.delete(reader);
    reader.ready.then(
      () => this.replace(),
      (error: Error) => {
        if (this.closed || this.broken) return;
        this.broken = error;
        this.options.warn(`${error.message}; reads run on the main connection from now on`);
        for (const waiter of this.waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(error);
        }
      },
    );
  }

  private replace(): void {
    if (this.closed || this.waiters.length === 0 || this.readers.size >= this.options.size) return;
    const waiter = this.waiters.shift()!;
    clearTimeout(waiter.timer);
    const reader = this.spawn();
    reader.ready.then(
      () => waiter.resolve(reader),
      (error: Error) => waiter.reject(error),
    );
  }
}

/** The compiled reader beside this file; from the TypeScript sources (tests, bench) through tsx. */
function readerScript(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return { path: here.replace(/pool\.js$/, "reader-process.js"), execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return { path: here.replace(/pool\.ts$/, "reader-process.ts"), execArgv: ["--import", tsx] };
}

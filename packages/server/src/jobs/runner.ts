/**
 * The job runner: a loop that claims due jobs from the store (leased), runs each with its kind's handler, and
 * records the outcome. At most `concurrency` jobs run at once; a running job's lease is renewed every third of
 * its length, so a slow job stays this worker's while a killed worker's jobs come back when their lease ends.
 *
 * A handler commits its effects and `ctx.done(trx)` in one transaction, so that a job whose worker died after
 * the commit is never applied twice; a handler that does not call `done` is marked done after it returns.
 * Producers (for example the analytics watermark scan) run before each claim and may queue new jobs.
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema.js";
import type { Dialect } from "../store/types.js";
import { backoffDelay } from "./backoff.js";
import { JobError, LeaseLostError } from "./errors.js";
import { DEFAULT_RUNNER_OPTIONS, type RunnerOptions } from "./options.js";
import { claim, enqueue, markDone, markFailed, renewLease, type Job, type NewJob } from "./queue.js";
import { RateLimiter } from "./rate.js";

export interface JobContext {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Marks the job done inside the caller's transaction (throws `LeaseLostError` when it is no longer ours). */
  done(trx: Transaction<Database>): Promise<void>;
  /**
   * Runs `fn` in a write transaction: the store's group commit when the runner was given one (`hooks.transact`),
   * so that many small jobs share one commit, else a transaction of its own.
   */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Queues more jobs, inside the caller's transaction when one is given. */
  enqueue(jobs: NewJob[], trx?: Transaction<Database>): Promise<void>;
  /** Waits for the endpoint request budget (`llmRatePerSecond`). */
  rateLimit(): Promise<void>;
}

export type JobHandler = (job: Job, payload: unknown, ctx: JobContext) => Promise<void>;
export type Producer = (runner: JobRunner) => Promise<void>;

export interface RunnerHooks {
  /**
   * True while something more urgent (ingest) is using the store: the runner then claims nothing, except one job
   * every `maxDeferMs` so that the backlog still moves under sustained load.
   */
  busy?: (() => boolean) | undefined;
  /** The store's group commit, for `JobContext.transaction`. Default: a transaction of its own per call. */
  transact?: (<T>(fn: (trx: Transaction<Database>) => Promise<T>) => Promise<T>) | undefined;
  /** Longest wait for a job while `busy` says true, in ms. Default 2,000. */
  maxDeferMs?: number;
  /** Where handler failures go (one line each); never given a secret by the handlers. Default: none. */
  onError?: (error: Error, job: Job | null) => void;
}

export class JobRunner {
  readonly workerId = `w_${randomBytes(6).toString("hex")}`;
  readonly options: RunnerOptions;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly producers: Producer[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly limiter: RateLimiter;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private lastClaim = 0;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    options: Partial<RunnerOptions> = {},
    private readonly hooks: RunnerHooks = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
    this.limiter = new RateLimiter(this.options.llmRatePerSecond);
  }

  handle(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  produce(producer: Producer): this {
    this.producers.push(producer);
    return this;
  }

  enqueue(jobs: NewJob[], trx?: Transaction<Database>): Promise<void> {
    return enqueue(trx ?? this.db, jobs, this.options.maxAttempts);
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops claiming, then waits for the jobs in flight (at most `timeoutMs`; their leases bring them back). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  /** One pass: producers, then claim and start as many jobs as there is room for. Resolves to the number started. */
  async tick(): Promise<number> {
    const busy = this.hooks.busy?.() ?? false;
    if (busy && Date.now() - this.lastClaim < (this.hooks.maxDeferMs ?? 2_000)) return 0;
    for (const producer of this.producers) {
      if (this.stopping) return 0;
      await producer(this);
    }
    let room = this.options.concurrency - this.running.size;
    if (room <= 0 || this.stopping) return 0;
    if (busy) room = 1;
    this.lastClaim = Date.now();
    const jobs = await claim(this.db, this.dialect, this.workerId, room, this.options.leaseMs);
    for (const job of jobs) {
      const task = this.execute(job).finally(() => {
        this.running.delete(task);
        this.wake?.();
      });
      this.running.add(task);
    }
    return jobs.length;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let started = 0;
      try {
        started = await this.tick();
      } catch (error) {
        // The store may be away for a moment (a PostgreSQL restart): wait and try again.
        this.hooks.onError?.(error as Error, null);
      }
      if (this.stopping) break;
      const full = this.running.size >= this.options.concurrency;
      if (started > 0 && !full) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    let marked = false;
    const ctx: JobContext = {
      db: this.db,
      dialect: this.dialect,
      done: async (trx) => {
        await markDone(trx, job);
        marked = true;
      },
      transaction: (fn) =>
        this.hooks.transact ? this.hooks.transact(fn) : this.db.transaction().execute(fn),
      enqueue: (jobs, trx) => this.enqueue(jobs, trx),
      rateLimit: () => this.limiter.acquire(),
    };
    const renew = setInterval(
      () => void renewLease(this.db, job, this.options.leaseMs).catch(() => {}),
      Math.max(10, Math.floor(this.options.leaseMs / 3)),
    );
    try {
      if (job.attempts > job.max_attempts) {
        throw new JobError(
          `gave up after ${job.max_attempts} attempts (its worker stopped each time)`,
          false,
        );
      }
      if (!handler) throw new JobError(`no handler for jobs of kind "${job.kind}"`, false);
      await handler(job, parsePayload(job.payload), ctx);
      if (!marked) await markDone(this.db, job);
    } catch (error) {
      if (error instanceof LeaseLostError) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      this.hooks.onError?.(failure, job);
      const retryable = !(failure instanceof JobError) || failure.retryable;
      const retryAfter = failure instanceof JobError ? failure.retryAfterMs : undefined;
      const retryAt =
        retryable && job.attempts < job.max_attempts
          ? Date.now() + backoffDelay(job.attempts, this.options.backoffMs, retryAfter)
          : null;
      await markFailed(this.db, job, failure.message, retryAt).catch(() => {});
    } finally {
      clearInterval(renew);
    }
  }
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

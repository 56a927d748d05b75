/**
 * Group commit. Concurrent writers enqueue jobs; one drain at a time takes everything that accumulated and runs it
 * in a single transaction, then answers each job after the commit. When that transaction fails, the jobs are run
 * again one transaction each, so that one failing job fails alone.
 *
 * Fair per project: a group takes the jobs of each project (`key`) in turn, oldest first within a project, so
 * one project's backlog cannot starve another's one-event request. A job whose `signal` is aborted before its turn
 * (its client has gone) is dropped unrun.
 *
 * A transaction PostgreSQL chose as a deadlock victim (lock-conflict.ts) is run again, whole, a few times, after
 * a short random pause that lets the other transaction commit first; a 200 still follows only a commit.
 */
import type { Kysely, Transaction } from "kysely";
import { fullCause, isDiskFull, WriteState } from "./disk-full.js";
import { isLockConflict } from "./lock-conflict.js";
import type { Database } from "./schema.js";

export type WriteJob<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  job: WriteJob<unknown>;
  weight: number;
  key: string;
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WriteQueueStats {
  transactions: number;
  jobs: number;
  /** Jobs dropped unrun because their signal was aborted (the client had gone). */
  abandoned: number;
  /** Transactions run again because PostgreSQL rolled them back in a deadlock or serialization failure. */
  conflicts: number;
}

/** Runs of one group after a lock conflict, the first included; then its jobs are tried one transaction each. */
const CONFLICT_ATTEMPTS = 5;
/** Longest pause before running a group again after a lock conflict, ms (a random part of it). */
const CONFLICT_PAUSE_MS = 20;

export class AbandonedError extends Error {
  override readonly name = "AbandonedError";
}

export class WriteQueue {
  private pending: Pending[] = [];
  private draining: Promise<void> | null = null;
  /** When each key was last served (a counter): the least recently served project goes first. */
  private readonly served = new Map<string, number>();
  private tick = 0;
  readonly stats: WriteQueueStats = { transactions: 0, jobs: 0, abandoned: 0, conflicts: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    /** Most weight (events) per transaction, so one commit never grows without bound. */
    private readonly maxWeight = 20_000,
    /** Told of each commit, and of each write refused for want of space. */
    readonly writeState = new WriteState(),
  ) {}

  run<T>(job: WriteJob<T>, weight = 1, key = "", signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job, weight, key, signal, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) this.draining = this.drain();
    });
  }

  /** Resolves once every job enqueued so far has been answered. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the requests that arrive in the same tick join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const group = this.takeGroup();
      await this.commitGroup(group);
    }
    this.draining = null;
  }

  /** Round-robin over the projects waiting, oldest job first within each, up to `maxWeight`. */
  private takeGroup(): Pending[] {
    const live: Pending[] = [];
    for (const item of this.pending) {
      if (item.signal?.aborted) {
        this.stats.abandoned += 1;
        item.reject(new AbandonedError("the client went away before its write ran"));
      } else live.push(item);
    }
    const byKey = new Map<string, Pending[]>();
    for (const item of live) {
      const list = byKey.get(item.key);
      if (list) list.push(item);
      else byKey.set(item.key, [item]);
    }
    const group: Pending[] = [];
    let weight = 0;
    let full = false;
    const turn = [...byKey.keys()].sort((a, b) => (this.served.get(a) ?? -1) - (this.served.get(b) ?? -1));
    while (!full && byKey.size > 0) {
      for (const key of turn) {
        const list = byKey.get(key);
        if (!list) continue;
        const next = list[0]!;
        if (group.length > 0 && weight + next.weight > this.maxWeight) {
          full = true;
          break;
        }
        group.push(list.shift()!);
        weight += next.weight;
        this.tick += 1;
        this.served.set(key, this.tick);
        if (list.length === 0) byKey.delete(key);
      }
    }
    const taken = new Set(group);
    this.pending = live.filter((item) => !taken.has(item));
    if (this.served.size > 10_000) this.served.clear();
    return group;
  }

  private async commitGroup(group: Pending[], attempt = 1): Promise<void> {
    // The job's own error: when SQLite has already rolled back by itself (a full disk), the ROLLBACK that Kysely
    // then sends fails with "cannot rollback - no transaction is active", which would hide the cause.
    let cause: unknown;
    try {
      const results = await this.db.transaction().execute(async (trx) => {
        const out: unknown[] = [];
        try {
          for (const item of group) out.push(await item.job(trx));
        } catch (error) {
          cause = error;
          throw error;
        }
        return out;
      });
      this.stats.transactions += 1;
      this.stats.jobs += group.length;
      this.writeState.committed();
      group.forEach((item, index) => item.resolve(results[index]));
    } catch (thrown) {
      const error = cause ?? thrown;
      if (isDiskFull(error)) this.writeState.full(fullCause(error));
      if (isLockConflict(error) && attempt < CONFLICT_ATTEMPTS) {
        this.stats.conflicts += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_PAUSE_MS));
        return this.commitGroup(group, attempt + 1);
      }
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      for (const item of group) await this.commitGroup([item]);
    }
  }
}

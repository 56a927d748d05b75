/**
 * Group commit. Concurrent writers enqueue jobs; one drain at a time takes everything that accumulated and runs it
 * in a single transaction, then answers each job after the commit. When that transaction fails, the jobs are run
 * again one transaction each, so that one failing job fails alone.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

export type WriteJob<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  job: WriteJob<unknown>;
  weight: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WriteQueueStats {
  transactions: number;
  jobs: number;
}

export class WriteQueue {
  private pending: Pending[] = [];
  private draining: Promise<void> | null = null;
  readonly stats: WriteQueueStats = { transactions: 0, jobs: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    /** Most weight (events) per transaction, so one commit never grows without bound. */
    private readonly maxWeight = 20_000,
  ) {}

  run<T>(job: WriteJob<T>, weight = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job, weight, resolve: resolve as (value: unknown) => void, reject });
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

  private takeGroup(): Pending[] {
    let weight = 0;
    let count = 0;
    while (count < this.pending.length) {
      const next = this.pending[count]!;
      if (count > 0 && weight + next.weight > this.maxWeight) break;
      weight += next.weight;
      count += 1;
    }
    return this.pending.splice(0, count);
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    try {
      const results = await this.db.transaction().execute(async (trx) => {
        const out: unknown[] = [];
        for (const item of group) out.push(await item.job(trx));
        return out;
      });
      this.stats.transactions += 1;
      this.stats.jobs += group.length;
      group.forEach((item, index) => item.resolve(results[index]));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      for (const item of group) await this.commitGroup([item]);
    }
  }
}

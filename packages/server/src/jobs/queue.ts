/**
 * The job table's operations, the same on both engines except the claim: PostgreSQL locks the rows it takes with
 * `FOR UPDATE SKIP LOCKED`, so replicas over one database never take the same job; SQLite has one writer, and
 * the claim is one statement inside its write lock.
 */
import { randomBytes } from "node:crypto";
import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { Database, JobsTable } from "../store/schema.js";
import type { Dialect } from "../store/types.js";
import { LeaseLostError } from "./errors.js";

export type Job = Selectable<JobsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export interface NewJob {
  projectId: string;
  kind: string;
  /** What the job computes; a job with the same key in the project is not queued again. */
  uniqueKey: string;
  payload: unknown;
  maxAttempts?: number;
  runAt?: number;
}

/** Rows per multi-row INSERT: 12 values each stays far below SQLite's bound on variables. */
const INSERT_CHUNK = 500;

/** Queues jobs; one already queued (or done) under the same unique key is left as it is. */
export async function enqueue(
  db: Db,
  jobs: NewJob[],
  defaultMaxAttempts: number,
  now = Date.now(),
): Promise<void> {
  for (let i = 0; i < jobs.length; i += INSERT_CHUNK) {
    const rows = jobs.slice(i, i + INSERT_CHUNK).map((job) => ({
      project_id: job.projectId,
      id: `job_${randomBytes(10).toString("hex")}`,
      kind: job.kind,
      unique_key: job.uniqueKey,
      payload: JSON.stringify(job.payload ?? {}),
      status: "queued",
      attempts: 0,
      max_attempts: job.maxAttempts ?? defaultMaxAttempts,
      run_at: job.runAt ?? now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }));
    await db
      .insertInto("jobs")
      .values(rows)
      .onConflict((c) => c.columns(["project_id", "unique_key"]).doNothing())
      .execute();
  }
}

/**
 * Takes up to `limit` jobs for `workerId`: first those whose lease ran out (their worker died), then those due.
 * Each pass is one statement; on PostgreSQL its inner SELECT skips the rows another replica is taking.
 */
export async function claim(
  db: Kysely<Database>,
  dialect: Dialect,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = Date.now(),
): Promise<Job[]> {
  const expired = sql`status = 'running' AND locked_until < ${now}`;
  const due = sql`status = 'queued' AND run_at <= ${now}`;
  const taken: Job[] = [];
  for (const [condition, order] of [
    [expired, sql`locked_until`],
    [due, sql`run_at`],
  ] as const) {
    const room = limit - taken.length;
    if (room <= 0) break;
    const lock = dialect === "postgres" ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const result = await sql<Job>`
      UPDATE jobs SET status = 'running', locked_by = ${workerId}, locked_until = ${now + leaseMs},
        attempts = attempts + 1, updated_at = ${now}
      WHERE (project_id, id) IN (
        SELECT project_id, id FROM jobs WHERE ${condition} ORDER BY ${order} LIMIT ${room} ${lock})
      RETURNING *`.execute(db);
    taken.push(...result.rows);
  }
  return taken;
}

/** Marks the job done, in the transaction that commits its effects; throws when the lease was lost meanwhile. */
export async function markDone(db: Db, job: Job, now = Date.now()): Promise<void> {
  const result = await db
    .updateTable("jobs")
    .set({ status: "done", locked_by: null, locked_until: null, last_error: null, updated_at: now })
    .where("project_id", "=", job.project_id)
    .where("id", "=", job.id)
    .where("status", "=", "running")
    .where("locked_by", "=", job.locked_by)
    .where("attempts", "=", job.attempts)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new LeaseLostError(`job ${job.id} was taken by another worker after this one's lease ran out`);
  }
}

/** Another attempt at `runAt`, or `failed` with the error when none is left. */
export async function markFailed(
  db: Db,
  job: Job,
  error: string,
  retryAt: number | null,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      status: retryAt === null ? "failed" : "queued",
      run_at: retryAt ?? job.run_at,
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 2_000),
      updated_at: now,
    })
    .where("project_id", "=", job.project_id)
    .where("id", "=", job.id)
    .where("locked_by", "=", job.locked_by)
    .where("attempts", "=", job.attempts)
    .execute();
}

/** Keeps a running job this worker's for another lease. False when it is no longer ours. */
export async function renewLease(db: Db, job: Job, leaseMs: number, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ locked_until: now + leaseMs })
    .where("project_id", "=", job.project_id)
    .where("id", "=", job.id)
    .where("status", "=", "running")
    .where("locked_by", "=", job.locked_by)
    .where("attempts", "=", job.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Queues failed jobs of a project again with fresh attempts: one job, or all failed ones of a kind. */
export async function retryFailed(
  db: Db,
  projectId: string,
  which: { jobId?: string | undefined; kind?: string | undefined },
  now = Date.now(),
): Promise<number> {
  let query = db
    .updateTable("jobs")
    .set({ status: "queued", attempts: 0, run_at: now, updated_at: now })
    .where("project_id", "=", projectId)
    .where("status", "=", "failed");
  if (which.jobId !== undefined) query = query.where("id", "=", which.jobId);
  if (which.kind !== undefined) query = query.where("kind", "=", which.kind);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface JobCounts {
  kind: string;
  queued: number;
  running: number;
  done: number;
  failed: number;
}

/** Per kind, how many jobs of the project are in each state. */
export async function countJobs(db: Db, projectId: string): Promise<JobCounts[]> {
  const rows = await db
    .selectFrom("jobs")
    .select(["kind", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("project_id", "=", projectId)
    .groupBy(["kind", "status"])
    .execute();
  const byKind = new Map<string, JobCounts>();
  for (const row of rows) {
    const counts = byKind.get(row.kind) ?? { kind: row.kind, queued: 0, running: 0, done: 0, failed: 0 };
    const status = row.status as "queued" | "running" | "done" | "failed";
    if (status in counts) counts[status] += Number(row.n);
    byKind.set(row.kind, counts);
  }
  return [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The latest failed jobs of the project, with their errors. */
export function listFailed(db: Db, projectId: string, limit = 50): Promise<Job[]> {
  return db
    .selectFrom("jobs")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("status", "=", "failed")
    .orderBy("updated_at", "desc")
    .limit(limit)
    .execute();
}

/**
 * Finds new work from the tasks themselves (docs/ARCHITECTURE.md, "Background work"): per project, a watermark on
 * `(updated_at, id)`; the tasks past it become `analyze` jobs and the watermark moves on, in one transaction, so
 * ingest never waits for analytics. Only tasks older than `settleMs` are read, so that a transaction that
 * committed late with an earlier `updated_at` (another replica, another connection) is not stepped over.
 * On PostgreSQL the watermark row is locked with SKIP LOCKED: one replica scans a project at a time.
 */
import { sql, type Kysely } from "kysely";
import type { JobRunner } from "../jobs/index.js";
import type { Database } from "../store/schema.js";
import type { Dialect } from "../store/types.js";

export interface ScanOptions {
  /** Tasks per `analyze` job. */
  batchSize: number;
  /** Jobs queued per project per scan, so that one busy project cannot starve the others. */
  maxBatchesPerScan: number;
  /** Only tasks whose `updated_at` is at least this old (ms) are read. */
  settleMs: number;
}

export const DEFAULT_SCAN: ScanOptions = { batchSize: 200, maxBatchesPerScan: 10, settleMs: 1_000 };

/** Queues `analyze` jobs for one project's new tasks; resolves to the number of tasks handed over. */
export async function scanProject(
  db: Kysely<Database>,
  dialect: Dialect,
  runner: JobRunner,
  projectId: string,
  options: ScanOptions,
  now = Date.now(),
): Promise<number> {
  await db
    .insertInto("analytics_watermarks")
    .values({ project_id: projectId, updated_at: -1, task_id: "" })
    .onConflict((conflict) => conflict.column("project_id").doNothing())
    .execute();
  return db.transaction().execute(async (trx) => {
    const lock = dialect === "postgres" ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const mark = (
      await sql<{ updated_at: number; task_id: string }>`
        SELECT updated_at, task_id FROM analytics_watermarks WHERE project_id = ${projectId} ${lock}`.execute(
        trx,
      )
    ).rows[0];
    if (!mark) return 0; // another replica is scanning this project
    let after = { updatedAt: Number(mark.updated_at), id: mark.task_id };
    let handed = 0;
    for (let batch = 0; batch < options.maxBatchesPerScan; batch += 1) {
      const rows = await trx
        .selectFrom("tasks")
        .select(["id", "updated_at"])
        .where("project_id", "=", projectId)
        .where((eb) =>
          eb.or([
            eb("updated_at", ">", after.updatedAt),
            eb.and([eb("updated_at", "=", after.updatedAt), eb("id", ">", after.id)]),
          ]),
        )
        .where("updated_at", "<=", now - options.settleMs)
        .orderBy("updated_at")
        .orderBy("id")
        .limit(options.batchSize)
        .execute();
      if (rows.length === 0) break;
      const last = rows.at(-1)!;
      await runner.enqueue(
        [
          {
            projectId,
            kind: "analyze",
            uniqueKey: `analyze:${last.updated_at}:${last.id}`,
            payload: { taskIds: rows.map((row) => row.id) },
          },
        ],
        trx,
      );
      after = { updatedAt: last.updated_at, id: last.id };
      handed += rows.length;
      if (rows.length < options.batchSize) break;
    }
    if (handed > 0) {
      await trx
        .updateTable("analytics_watermarks")
        .set({ updated_at: after.updatedAt, task_id: after.id })
        .where("project_id", "=", projectId)
        .execute();
    }
    return handed;
  });
}

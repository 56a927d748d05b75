/**
 * Back-fill: definitions run over a filtered range of past tasks. The API stores a `backfills` row and queues a
 * `backfill_plan` job; the plan walks the matching tasks' keys in order and cuts them into `backfill_chunk` jobs
 * (bounds in `(created_at, id)`, so replicas run chunks side by side). A chunk's detections, its share of the
 * progress and its completion commit together, so a chunk is counted once however often it is attempted.
 */
import { randomBytes } from "node:crypto";
import type { Kysely, SelectQueryBuilder, Transaction } from "kysely";
import type { Job, JobContext, NewJob } from "../jobs/index.js";
import type { Database } from "../store/schema.js";
import { analyzeTasks, TASK_COLUMNS, type AnalyzeOptions } from "./analyze.js";
import type { DefinitionRow } from "./types.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface BackfillFilters {
  from?: number | undefined;
  to?: number | undefined;
  versionId?: string | undefined;
  flag?: "success" | "failure" | undefined;
}

/** Tasks per chunk job. */
export const CHUNK_SIZE = 500;

type Key = [number, string];

export async function createBackfill(
  db: Kysely<Database>,
  projectId: string,
  definitionIds: string[] | null,
  filters: BackfillFilters,
  enqueue: (jobs: NewJob[], trx: Transaction<Database>) => Promise<void>,
  now = Date.now(),
): Promise<string> {
  const id = `bf_${randomBytes(8).toString("hex")}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("backfills")
      .values({
        project_id: projectId,
        id,
        definition_id: definitionIds?.join(",") ?? null,
        filters: JSON.stringify(filters),
        total: 0,
        done: 0,
        status: "planning",
        created_at: now,
        finished_at: null,
      })
      .execute();
    await enqueue(
      [
        {
          projectId,
          kind: "backfill_plan",
          uniqueKey: `bfplan:${id}`,
          payload: { backfillId: id, definitionIds },
        },
      ],
      trx,
    );
  });
  return id;
}

function filtered<O>(
  query: SelectQueryBuilder<Database, "tasks", O>,
  projectId: string,
  filters: BackfillFilters,
): SelectQueryBuilder<Database, "tasks", O> {
  let q = query.where("project_id", "=", projectId);
  if (filters.from !== undefined) q = q.where("created_at", ">=", filters.from);
  if (filters.to !== undefined) q = q.where("created_at", "<=", filters.to);
  if (filters.versionId !== undefined) q = q.where("version_id", "=", filters.versionId);
  if (filters.flag !== undefined) q = q.where("flag", "=", filters.flag);
  return q;
}

async function loadBackfill(db: Db, projectId: string, id: string) {
  return db
    .selectFrom("backfills")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function runBackfillPlan(
  job: Job,
  payload: { backfillId: string; definitionIds: string[] | null },
  ctx: JobContext,
): Promise<void> {
  const backfill = await loadBackfill(ctx.db, job.project_id, payload.backfillId);
  if (!backfill) return;
  const filters = JSON.parse(backfill.filters) as BackfillFilters;
  const chunks: NewJob[] = [];
  let total = 0;
  let after: Key | null = null;
  for (;;) {
    let query = filtered(ctx.db.selectFrom("tasks").select(["created_at", "id"]), job.project_id, filters);
    if (after) {
      const [createdAt, id] = after;
      query = query.where((eb) =>
        eb.or([
          eb("created_at", ">", createdAt),
          eb.and([eb("created_at", "=", createdAt), eb("id", ">", id)]),
        ]),
      );
    }
    const keys = await query.orderBy("created_at").orderBy("id").limit(CHUNK_SIZE).execute();
    if (keys.length === 0) break;
    const first = keys[0]!;
    const last = keys.at(-1)!;
    chunks.push({
      projectId: job.project_id,
      kind: "backfill_chunk",
      uniqueKey: `bf:${backfill.id}:${first.created_at}:${first.id}`,
      payload: {
        backfillId: backfill.id,
        definitionIds: payload.definitionIds,
        start: [first.created_at, first.id],
        end: [last.created_at, last.id],
        count: keys.length,
      },
    });
    total += keys.length;
    after = [last.created_at, last.id];
    if (keys.length < CHUNK_SIZE) break;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.enqueue(chunks, trx);
    await trx
      .updateTable("backfills")
      .set(total === 0 ? { total, status: "done", finished_at: Date.now() } : { total, status: "running" })
      .where("project_id", "=", job.project_id)
      .where("id", "=", backfill.id)
      .execute();
    await ctx.done(trx);
  });
}

export interface ChunkPayload {
  backfillId: string;
  definitionIds: string[] | null;
  start: Key;
  end: Key;
  count: number;
}

export async function runBackfillChunk(
  job: Job,
  payload: ChunkPayload,
  ctx: JobContext,
  definitionsOf: (projectId: string) => Promise<DefinitionRow[]>,
  options: Omit<AnalyzeOptions, "now" | "languageAndSentiment">,
): Promise<void> {
  const backfill = await loadBackfill(ctx.db, job.project_id, payload.backfillId);
  if (!backfill) return;
  const filters = JSON.parse(backfill.filters) as BackfillFilters;
  const wanted = payload.definitionIds ? new Set(payload.definitionIds) : null;
  const definitions = (await definitionsOf(job.project_id)).filter(
    (definition) => wanted === null || wanted.has(definition.id),
  );
  const [startAt, startId] = payload.start;
  const [endAt, endId] = payload.end;
  const tasks = await filtered(ctx.db.selectFrom("tasks").select([...TASK_COLUMNS]), job.project_id, filters)
    .where((eb) =>
      eb.or([
        eb("created_at", ">", startAt),
        eb.and([eb("created_at", "=", startAt), eb("id", ">=", startId)]),
      ]),
    )
    .where((eb) =>
      eb.or([eb("created_at", "<", endAt), eb.and([eb("created_at", "=", endAt), eb("id", "<=", endId)])]),
    )
    .execute();
  await ctx.db.transaction().execute(async (trx) => {
    const jobs = await analyzeTasks(trx, tasks, definitions, {
      ...options,
      // Language and sentiment belong to the always-on pass; a back-fill without definitions redoes them.
      languageAndSentiment: wanted !== null && wanted.size === 0,
      judgeSampleRate: 0,
      now: Date.now(),
    });
    await ctx.enqueue(jobs, trx);
    const updated = await trx
      .updateTable("backfills")
      .set((eb) => ({ done: eb("done", "+", payload.count) }))
      .where("project_id", "=", job.project_id)
      .where("id", "=", backfill.id)
      .returning(["done", "total"])
      .executeTakeFirst();
    if (updated && updated.done >= updated.total) {
      await trx
        .updateTable("backfills")
        .set({ status: "done", finished_at: Date.now() })
        .where("project_id", "=", job.project_id)
        .where("id", "=", backfill.id)
        .execute();
    }
    await ctx.done(trx);
  });
}

/**
 * The analytics runner: a `JobRunner` with the analytics job kinds and the watermark scan as its producer.
 * Started by the collector (`cli.ts`) beside the HTTP server, stopped before the store closes.
 */
import type { Kysely, Transaction } from "kysely";
import { JobRunner, type RunnerOptions } from "../jobs/index.js";
import type { Database } from "../store/schema.js";
import type { Store } from "../store/types.js";
import { analyzeTasks, TASK_COLUMNS } from "./analyze.js";
import { runBackfillChunk, runBackfillPlan, type ChunkPayload } from "./backfill.js";
import { listDefinitions } from "./definitions.js";
import { loadEndpoint, type ModelEndpoint } from "./endpoint.js";
import { runLlmDetect, type LlmDetectPayload } from "./llm/detect.js";
import { DEFAULT_SCAN, scanProject, type ScanOptions } from "./scanner.js";
import { runJudge } from "./judge.js";
import { runWebhook, type WebhookPayload } from "./webhook.js";
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy } from "./webhook-url.js";

export interface AnalyticsOptions {
  runner?: Partial<RunnerOptions>;
  scan?: Partial<ScanOptions>;
  /** Least time between two watermark scans, in ms. Default 500. */
  scanEveryMs?: number;
  /** The endpoint of projects that set none (from `PHOSPHO_LLM_*`). */
  defaultEndpoint?: ModelEndpoint | null;
  /** Which webhook URLs may be called, and the timeout of a call. Default: `DEFAULT_WEBHOOK_POLICY`. */
  webhooks?: WebhookPolicy;
  /** One line per failed job (never with a key). */
  onError?: (message: string) => void;
}

async function judgeRate(db: Kysely<Database>, projectId: string): Promise<number> {
  const row = await db
    .selectFrom("judge_settings")
    .select(["enabled", "sample_rate"])
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  return row?.enabled === 1 ? row.sample_rate : 0;
}

/**
 * Ingest comes first: while the store's write queue has committed ingest work in the last 250 ms, the runner holds
 * back (one job every 2 s still runs), so that detection takes the idle time instead of ingest's.
 */
function ingestBusy(store: Store, own: { commits: number }): (() => boolean) | undefined {
  const queue = writeQueueOf(store);
  if (!queue) return undefined;
  let seen = queue.stats.jobs - own.commits;
  let lastChange = 0;
  return () => {
    const now = Date.now();
    const others = queue.stats.jobs - own.commits;
    if (others !== seen) {
      seen = others;
      lastChange = now;
    }
    return now - lastChange < 250;
  };
}

type GroupCommit = <T>(fn: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

function writeQueueOf(store: Store): { stats: { jobs: number }; run: GroupCommit } | undefined {
  const queue = (store as { queue?: { stats: { jobs: number }; run: GroupCommit } }).queue;
  return queue && typeof queue.run === "function" ? queue : undefined;
}

export function createAnalyticsRunner(store: Store, options: AnalyticsOptions = {}): JobRunner {
  const { db, dialect } = store;
  const scan: ScanOptions = {
    ...DEFAULT_SCAN,
    ...(dialect === "sqlite" ? { settleMs: 200 } : {}),
    ...options.scan,
  };
  const fallback = options.defaultEndpoint ?? null;
  const endpointOf = (projectId: string) => loadEndpoint(db, projectId, fallback);
  const definitionsOf = (projectId: string) => listDefinitions(db, projectId, true);
  // The runner's own commits through the group commit are not ingest: counted here so `busy` leaves them out.
  const own = { commits: 0 };
  const queue = writeQueueOf(store);
  const runner = new JobRunner(db, dialect, options.runner, {
    busy: ingestBusy(store, own),
    transact: queue
      ? async (fn) => {
          const result = await queue.run(fn);
          own.commits += 1;
          return result;
        }
      : undefined,
    onError: (error, job) =>
      options.onError?.(
        job
          ? `job ${job.kind} ${job.id} (attempt ${job.attempts}) failed: ${error.message}`
          : `jobs: ${error.message}`,
      ),
  });

  runner.handle("analyze", async (job, payload, ctx) => {
    const ids = (payload as { taskIds?: string[] }).taskIds ?? [];
    const tasks =
      ids.length === 0
        ? []
        : await db
            .selectFrom("tasks")
            .select([...TASK_COLUMNS])
            .where("project_id", "=", job.project_id)
            .where("id", "in", ids)
            .execute();
    const definitions = await definitionsOf(job.project_id);
    const hasEndpoint = (await endpointOf(job.project_id)) !== null;
    const judgeSampleRate = hasEndpoint ? await judgeRate(db, job.project_id) : 0;
    await db.transaction().execute(async (trx) => {
      const jobs = await analyzeTasks(trx, tasks, definitions, {
        languageAndSentiment: true,
        hasEndpoint,
        judgeSampleRate,
        now: Date.now(),
      });
      await ctx.enqueue(jobs, trx);
      await ctx.done(trx);
    });
  });
  runner.handle("backfill_plan", (job, payload, ctx) =>
    runBackfillPlan(job, payload as { backfillId: string; definitionIds: string[] | null }, ctx),
  );
  runner.handle("backfill_chunk", async (job, payload, ctx) =>
    runBackfillChunk(job, payload as ChunkPayload, ctx, definitionsOf, {
      hasEndpoint: (await endpointOf(job.project_id)) !== null,
      judgeSampleRate: 0,
    }),
  );
  runner.handle("llm_detect", async (job, payload, ctx) =>
    runLlmDetect(job, payload as LlmDetectPayload, ctx, await endpointOf(job.project_id)),
  );
  runner.handle("judge", async (job, payload, ctx) =>
    runJudge(job, payload as { taskId: string }, ctx, await endpointOf(job.project_id)),
  );
  runner.handle("webhook", (job, payload, ctx) =>
    runWebhook(job, payload as WebhookPayload, ctx, options.webhooks ?? DEFAULT_WEBHOOK_POLICY),
  );

  let lastScan = 0;
  runner.produce(async (self) => {
    const now = Date.now();
    if (now - lastScan < (options.scanEveryMs ?? 500)) return;
    lastScan = now;
    for (const project of await store.listProjects()) {
      await scanProject(db, dialect, self, project.id, scan, now);
    }
  });
  return runner;
}

/**
 * Reviewing analytics: detections of a task or session (badges), confirm / remove / correct, the metrics per
 * definition, the backlog and its progress (with a retry of failed jobs), events over time and per version.
 */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import {
  getDefinition,
  judgeAgreement,
  listDefinitions,
  loadJudge,
  saveJudge,
} from "../../analytics/index.js";
import {
  eventRatesByVersion,
  eventsOverTime,
  progress,
  sessionAnalytics,
  taskAnalytics,
} from "../../analytics/reads.js";
import { definitionMetrics, reviewDetection, ReviewError } from "../../analytics/review.js";
import { retryFailed } from "../../jobs/index.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { parseQuery, parseTaskFilters } from "../queries/params.js";
import { param, parseBody, projectIdOf } from "./request.js";

const reviewBody = z
  .object({
    event_id: z.string().min(1).max(100),
    action: z.enum(["confirm", "remove", "correct"]),
    label: z.string().min(1).max(200).optional(),
    score: z.number().min(1).max(5).optional(),
  })
  .strict();

const retryBody = z
  .object({ job_id: z.string().min(1).max(100).optional(), kind: z.string().max(50).optional() })
  .strict();

const DAY_MS = 86_400_000;

const judgeBody = z
  .object({
    enabled: z.boolean(),
    guidelines: z.string().max(10_000).default(""),
    sample_rate: z.number().min(0).max(1).default(1),
  })
  .strict();

export const analyticsReviewRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  const { db } = ctx.store;

  app.get("/tasks/:taskId/analytics", async (request) => {
    const found = await taskAnalytics(db, projectIdOf(request), [param(request, "taskId")], true);
    return found.get(param(request, "taskId"));
  });

  app.get("/sessions/:sessionId/analytics", async (request) => {
    const found = await sessionAnalytics(db, projectIdOf(request), [param(request, "sessionId")]);
    return found.get(param(request, "sessionId"));
  });

  /** `taskId` may be a task id or `session:{sessionId}` for a session-scope event. */
  app.post("/tasks/:taskId/review", async (request) => {
    const body = parseBody(reviewBody, request.body);
    const projectId = projectIdOf(request);
    const definition = await getDefinition(db, projectId, body.event_id);
    if (!definition)
      throw new DashboardError(400, `invalid field event_id: event ${body.event_id} does not exist`);
    try {
      const row = await reviewDetection(db, definition, param(request, "taskId"), body.action, body);
      if (!row) {
        throw new DashboardError(
          404,
          `no detection of event ${body.event_id} on ${param(request, "taskId")} yet`,
        );
      }
    } catch (error) {
      if (error instanceof ReviewError) throw new DashboardError(400, error.message);
      throw error;
    }
    const found = await taskAnalytics(db, projectId, [param(request, "taskId")], true);
    return found.get(param(request, "taskId"));
  });

  app.get("/analytics/metrics", async (request) => {
    const projectId = projectIdOf(request);
    return { metrics: await definitionMetrics(db, await listDefinitions(db, projectId)) };
  });

  app.get("/analytics/progress", async (request) => progress(db, projectIdOf(request)));

  app.post("/analytics/jobs/retry", async (request) => {
    const body = parseBody(retryBody, request.body);
    return { retried: await retryFailed(db, projectIdOf(request), { jobId: body.job_id, kind: body.kind }) };
  });

  app.get("/analytics/events-over-time", async (request) => {
    const filters = parseTaskFilters(request.query);
    const to = filters.to ?? Date.now();
    const from = filters.from ?? to - 30 * DAY_MS;
    return { days: await eventsOverTime(db, projectIdOf(request), from, to) };
  });

  app.get("/analytics/event-rates", async (request) => {
    const filters = parseTaskFilters(request.query);
    const to = filters.to ?? Date.now();
    const from = filters.from ?? 0;
    return { rates: await eventRatesByVersion(db, projectIdOf(request), from, to) };
  });

  app.get("/analytics/judge", async (request) => {
    const projectId = projectIdOf(request);
    return { settings: await loadJudge(db, projectId), agreement: await judgeAgreement(db, projectId) };
  });

  app.put("/analytics/judge", async (request) => {
    const projectId = projectIdOf(request);
    await saveJudge(db, projectId, parseBody(judgeBody, request.body));
    return { settings: await loadJudge(db, projectId), agreement: await judgeAgreement(db, projectId) };
  });

  app.get("/analytics/sessions", async (request) => {
    const { ids } = parseQuery(z.object({ ids: z.string().min(1).max(20_000) }), request.query);
    const list = ids.split(",").slice(0, 200);
    const found = await sessionAnalytics(db, projectIdOf(request), list);
    return { sessions: Object.fromEntries(found) };
  });
};

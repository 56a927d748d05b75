/**
 * The `/api` tree. Account routes sit at its root; every other route lives under `/api/projects/:projectId`
 * behind one guard, so a session can only ever read or change the projects it holds.
 */
import type { FastifyError, FastifyPluginAsync } from "fastify";
import { requireProject } from "../auth/guard.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { refuseCrossSite } from "../security/cross-site.js";
import { setApiHeaders } from "../security/headers.js";
import { isStoreUnavailable, unavailableReply } from "../../store/unavailable.js";
import { accountRoutes } from "./account.js";
import { analyticsRoutes } from "./analytics.js";
import { countRoutes } from "./counts.js";
import { exportRoutes } from "./export.js";
import { keyRoutes } from "./keys.js";
import { liveRoutes } from "./live.js";
import { overviewRoutes } from "./overview.js";
import { projectIdOf } from "./request.js";
import { sessionRoutes } from "./sessions.js";
import { suggestionRoutes } from "./suggestions.js";
import { taskRoutes } from "./tasks.js";
import { userRoutes } from "./users.js";
import { viewRoutes } from "./views.js";
import { priceRoutes } from "./prices.js";

const projectRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, opts) => {
  app.addHook("preHandler", async (request) => requireProject(opts.ctx, request, projectIdOf(request)));
  for (const routes of [
    taskRoutes,
    sessionRoutes,
    userRoutes,
    countRoutes,
    overviewRoutes,
    exportRoutes,
    liveRoutes,
    suggestionRoutes,
    keyRoutes,
    analyticsRoutes,
    viewRoutes,
    priceRoutes,
  ]) {
    await app.register(routes, { ctx: opts.ctx });
  }
};

export const apiRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, opts) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DashboardError) return reply.status(error.status).send({ detail: error.detail });
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.status(status).send({ detail: error.message });
    if (isStoreUnavailable(error)) {
      const { detail, retryAfter } = unavailableReply(error);
      return reply.status(503).header("retry-after", retryAfter).send({ detail });
    }
    // The reply points to the server log: the cause goes there whether or not Fastify's logger is on.
    opts.ctx.report(error, request);
    return reply
      .status(500)
      .send({ detail: "internal error in the dashboard API; the server log has the cause" });
  });
  // Before the body is parsed: a cross-site request is refused without reading it.
  app.addHook("onRequest", async (request) => refuseCrossSite(request));
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("cache-control", reply.getHeader("cache-control") ?? "no-store");
    setApiHeaders(reply);
    return payload;
  });
  await app.register(accountRoutes, { ctx: opts.ctx });
  await app.register(projectRoutes, { ctx: opts.ctx, prefix: "/projects/:projectId" });
};

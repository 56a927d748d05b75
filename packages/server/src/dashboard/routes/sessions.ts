/** Sessions: list by last activity (keyset) and one session's transcript. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { parseQuery, sessionFilterSchema, toSessionFilters } from "../queries/params.js";
import { getSessionDetail, listSessions } from "../queries/sessions.js";
import { param, projectIdOf } from "./request.js";

const listQuery = sessionFilterSchema.extend({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const sessionRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/sessions", async (request) => {
    const q = parseQuery(listQuery, request.query);
    return listSessions(ctx.store, projectIdOf(request), toSessionFilters(q), {
      cursor: q.cursor,
      limit: q.limit,
    });
  });

  app.get("/sessions/:sessionId", async (request) => {
    const sessionId = param(request, "sessionId");
    const detail = await getSessionDetail(ctx.store, projectIdOf(request), sessionId);
    if (!detail) throw new DashboardError(404, `session ${sessionId} does not exist in this project`);
    return detail;
  });
};

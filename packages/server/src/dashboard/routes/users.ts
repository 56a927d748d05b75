/** Users derived from tasks.user_id: the aggregated list and one user's summary with their sessions. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { listSessions } from "../queries/sessions.js";
import { getUser, listUsers, USER_SORTS } from "../queries/users.js";
import { param, projectIdOf } from "./request.js";

const listQuery = filterSchema.extend({
  sort: z.enum(USER_SORTS).default("last_seen"),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const userRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/users", async (request) => {
    const q = parseQuery(listQuery, request.query);
    return listUsers(ctx.store, projectIdOf(request), toTaskFilters(q), {
      sort: q.sort,
      offset: q.offset,
      limit: q.limit,
    });
  });

  app.get("/users/:userId", async (request) => {
    const userId = param(request, "userId");
    const projectId = projectIdOf(request);
    const user = await getUser(ctx.store, projectId, userId);
    if (!user) throw new DashboardError(404, `user ${userId} has no tasks in this project`);
    const { sessions } = await listSessions(ctx.store, projectId, { userId }, { limit: 100 });
    return { user, sessions };
  });
};

/**
 * How many items each list's filters match, fetched apart from the rows so that rows come first. Under
 * `/count/…` rather than `/sessions/count`, where it would hide a session or user whose id is "count".
 */
import type { FastifyPluginAsync } from "fastify";
import type { DashboardContext } from "../context.js";
import { countMatchingUsers, countSessions, countTasks } from "../queries/count.js";
import {
  filterSchema,
  parseQuery,
  sessionFilterSchema,
  toSessionFilters,
  toTaskFilters,
} from "../queries/params.js";
import { projectIdOf } from "./request.js";

export const countRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/count/tasks", async (request) =>
    countTasks(ctx.store, projectIdOf(request), toTaskFilters(parseQuery(filterSchema, request.query))),
  );

  app.get("/count/sessions", async (request) =>
    countSessions(
      ctx.store,
      projectIdOf(request),
      toSessionFilters(parseQuery(sessionFilterSchema, request.query)),
    ),
  );

  app.get("/count/users", async (request) =>
    countMatchingUsers(
      ctx.store,
      projectIdOf(request),
      toTaskFilters(parseQuery(filterSchema, request.query)),
    ),
  );
};

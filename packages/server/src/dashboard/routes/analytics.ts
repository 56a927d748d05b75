/** The analytics routes, registered with one line in index.ts. See README.md, "Analytics". */
import type { FastifyPluginAsync } from "fastify";
import type { DashboardContext } from "../context.js";
import { analyticsAbRoutes } from "./analytics-ab.js";
import { analyticsEventRoutes } from "./analytics-events.js";
import { analyticsReviewRoutes } from "./analytics-review.js";

export const analyticsRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, opts) => {
  await app.register(analyticsEventRoutes, opts);
  await app.register(analyticsReviewRoutes, opts);
  await app.register(analyticsAbRoutes, opts);
};

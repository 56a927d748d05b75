/** The phospho v2 wire format, registered once under `/v2` and once under `/v0`. */
import type { FastifyPluginAsync } from "fastify";
import type { RouteContext } from "./context.js";
import { feedbackRoutes } from "./feedback.js";
import { ingestRoutes } from "./ingest.js";
import { readRoutes } from "./reads.js";

export type { RouteContext } from "./context.js";

export const v2Routes: FastifyPluginAsync<RouteContext> = async (app, context) => {
  app.get("/health", async () => ({ status: "OK" }));
  ingestRoutes(app, context);
  feedbackRoutes(app, context);
  readRoutes(app, context);
};

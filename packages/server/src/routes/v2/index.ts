/** The phospho v2 wire format, registered once under `/v2` and once under `/v0`. */
import type { FastifyPluginAsync } from "fastify";
import type { RouteContext } from "./context.js";
import { feedbackRoutes } from "./feedback.js";
import { ingestRoutes } from "./ingest.js";
import { readRoutes } from "./reads.js";

export type { RouteContext } from "./context.js";

export const v2Routes: FastifyPluginAsync<RouteContext> = async (app, context) => {
  // `read_only` appears only while writes fail for want of disk space: reads are served, writes get 503.
  app.get("/health", async () => {
    const readOnly = context.store.readOnly();
    return readOnly ? { status: "OK", read_only: readOnly } : { status: "OK" };
  });
  ingestRoutes(app, context);
  feedbackRoutes(app, context);
  readRoutes(app, context);
};

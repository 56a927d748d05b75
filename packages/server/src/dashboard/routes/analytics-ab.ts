/** `GET /ab/compare`: versions side by side with intervals, and which differences are significant. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { compareVersions } from "../../analytics/ab.js";
import type { DashboardContext } from "../context.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { projectIdOf } from "./request.js";

const compareQuery = filterSchema.extend({
  versions: z
    .string()
    .min(1)
    .max(2_000)
    .transform((text) => [
      ...new Set(
        text
          .split(",")
          .map((v) => v.trim())
          .filter((v) => v !== ""),
      ),
    ])
    .refine((list) => list.length >= 2 && list.length <= 6, "must name 2 to 6 versions, separated by commas"),
});

export const analyticsAbRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/ab/compare", async (request) => {
    const q = parseQuery(compareQuery, request.query);
    const filters = toTaskFilters(q);
    return compareVersions(ctx.store.db, projectIdOf(request), q.versions, {
      from: filters.from,
      to: filters.to,
    });
  });
};

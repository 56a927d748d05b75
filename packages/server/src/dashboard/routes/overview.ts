/** Charts (overview) and the A/B comparison of versions. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { chartBuckets, isTimeZone } from "../../aggregates/index.js";
import type { DashboardContext } from "../context.js";
import { compareVersions, overview } from "../queries/overview.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { projectIdOf } from "./request.js";

/** Day buckets are UTC days, or the days of `tz` (an IANA zone: the reader's, so that charts follow it). */
const overviewQuery = filterSchema.extend({
  bucket: z.enum(["hour", "day"]).default("day"),
  tz: z
    .string()
    .max(100)
    .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris or UTC")
    .optional(),
});

const abQuery = filterSchema.extend({
  versions: z
    .string()
    .transform((s) => [
      ...new Set(
        s
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(
          z
            .string()
            .max(500)
            .refine((v) => !v.includes("\u0000"), "must not contain the NUL character (U+0000)"),
        )
        .min(1, "name at least one version")
        .max(6, "compare at most 6 versions"),
    ),
});

export const overviewRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/overview", async (request) => {
    const q = parseQuery(overviewQuery, request.query);
    const filters = toTaskFilters(q);
    const projectId = projectIdOf(request);
    const buckets = await chartBuckets(ctx.store.db, projectId, q.bucket, q.tz, filters);
    return overview(ctx.store, projectId, filters, buckets);
  });

  app.get("/ab", async (request) => {
    const q = parseQuery(abQuery, request.query);
    const { versionId: _ignored, ...filters } = toTaskFilters(q);
    return { versions: await compareVersions(ctx.store, projectIdOf(request), filters, q.versions) };
  });
};

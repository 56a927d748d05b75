/** Charts (overview) and the A/B comparison of versions. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { compareVersions, DAY_MS, overview } from "../queries/overview.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { projectIdOf } from "./request.js";

const HOUR_MS = 3_600_000;
/** Hour buckets let the UI sum days in the reader's own time zone (see packages/dashboard/src/lib/time.ts). */
const overviewQuery = filterSchema.extend({ bucket: z.enum(["hour", "day"]).default("day") });

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
    return overview(
      ctx.store,
      projectIdOf(request),
      toTaskFilters(q),
      q.bucket === "hour" ? HOUR_MS : DAY_MS,
    );
  });

  app.get("/ab", async (request) => {
    const q = parseQuery(abQuery, request.query);
    const { versionId: _ignored, ...filters } = toTaskFilters(q);
    return { versions: await compareVersions(ctx.store, projectIdOf(request), filters, q.versions) };
  });
};

/** Values to suggest in the filter inputs, read from the project's own data. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { parseQuery } from "../queries/params.js";
import { columnValues, metadataKeys, metadataValues } from "../queries/suggestions.js";
import { projectIdOf } from "./request.js";

const valuesQuery = z.object({ key: z.string().trim().min(1).max(200) });

export const suggestionRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/suggestions/metadata-keys", async (request) => ({
    keys: await metadataKeys(ctx.store, projectIdOf(request)),
  }));

  app.get("/suggestions/metadata-values", async (request) => {
    const { key } = parseQuery(valuesQuery, request.query);
    return { key, values: await metadataValues(ctx.store, projectIdOf(request), key) };
  });

  app.get("/suggestions/fields", async (request) => {
    const projectId = projectIdOf(request);
    const [model, version_id, environment, user_id] = await Promise.all([
      columnValues(ctx.store, projectId, "model"),
      columnValues(ctx.store, projectId, "version_id"),
      columnValues(ctx.store, projectId, "environment"),
      columnValues(ctx.store, projectId, "user_id"),
    ]);
    return { model, version_id, environment, user_id };
  });
};

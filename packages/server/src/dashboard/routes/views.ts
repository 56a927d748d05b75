/** Saved views: the list, one view, save the current one, delete one. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { countViews, createView, deleteView, getView, listViews, VIEW_LIMIT } from "../queries/views.js";
import { param, parseBody, projectIdOf } from "./request.js";

const viewBody = z.object({
  name: z.string().trim().min(1, "name the view").max(120),
  page: z.enum(["tasks", "sessions", "users", "overview"]).default("tasks"),
  query: z
    .string()
    .max(4000)
    .refine((q) => !q.startsWith("?"), "pass the query without the leading ?"),
  table_config: z.record(z.string(), z.unknown()).optional(),
});

export const viewRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/views", async (request) => ({ views: await listViews(ctx.store, projectIdOf(request)) }));

  app.get("/views/:viewId", async (request) => {
    const view = await getView(ctx.store, projectIdOf(request), param(request, "viewId"));
    if (!view)
      throw new DashboardError(404, `view ${param(request, "viewId")} does not exist in this project`);
    return { view };
  });

  app.post("/views", async (request) => {
    const body = parseBody(viewBody, request.body);
    const projectId = projectIdOf(request);
    if ((await countViews(ctx.store, projectId)) >= VIEW_LIMIT)
      throw new DashboardError(409, `this project already has ${VIEW_LIMIT} saved views: delete one first`);
    return { view: await createView(ctx.store, projectId, body) };
  });

  app.delete("/views/:viewId", async (request) => {
    const deleted = await deleteView(ctx.store, projectIdOf(request), param(request, "viewId"));
    if (!deleted)
      throw new DashboardError(404, `view ${param(request, "viewId")} does not exist in this project`);
    return { deleted: true };
  });
};

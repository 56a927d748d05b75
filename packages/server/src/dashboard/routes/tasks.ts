/** Tasks: the filtered, sorted, keyset-paged list; one task; inline flag; notes. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { TASK_SORTS } from "../queries/cursor.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { countTasks } from "../queries/count.js";
import { getTaskDetail, listTasks } from "../queries/tasks.js";
import { param, parseBody, projectIdOf } from "./request.js";

const listQuery = filterSchema.extend({
  sort: z.enum(TASK_SORTS).default("-created_at"),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  meta_columns: z
    .string()
    .max(2000)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.string().max(200)).max(20, "at most 20 metadata columns"))
    .optional(),
});

const flagBody = z.object({
  flag: z.enum(["success", "failure"]),
  notes: z.string().max(10_000).optional(),
});

const notesBody = z.object({ notes: z.string().max(10_000).nullable() });

export const taskRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  const { store } = ctx;

  app.get("/tasks", async (request) => {
    const q = parseQuery(listQuery, request.query);
    return listTasks(store, projectIdOf(request), toTaskFilters(q), {
      sort: q.sort,
      cursor: q.cursor,
      limit: q.limit,
      metaColumns: q.meta_columns,
    });
  });

  app.get("/tasks/count", async (request) =>
    countTasks(store, projectIdOf(request), toTaskFilters(parseQuery(filterSchema, request.query))),
  );

  app.get("/tasks/:taskId", async (request) => {
    const detail = await getTaskDetail(store, projectIdOf(request), param(request, "taskId"));
    if (!detail)
      throw new DashboardError(404, `task ${param(request, "taskId")} does not exist in this project`);
    return detail;
  });

  app.post("/tasks/:taskId/flag", async (request) => {
    const body = parseBody(flagBody, request.body);
    const projectId = projectIdOf(request);
    const taskId = param(request, "taskId");
    if (!(await store.getTask(projectId, taskId)))
      throw new DashboardError(404, `task ${taskId} does not exist in this project`);
    await store.addFeedback(projectId, taskId, {
      kind: "flag",
      value: body.flag,
      source: "owner",
      notes: body.notes,
    });
    return getTaskDetail(store, projectId, taskId);
  });

  // Removing the flag is feedback too (kind `flag_removed`), so the history shows who took it back and when.
  app.delete("/tasks/:taskId/flag", async (request) => {
    const projectId = projectIdOf(request);
    const taskId = param(request, "taskId");
    if (!(await store.getTask(projectId, taskId)))
      throw new DashboardError(404, `task ${taskId} does not exist in this project`);
    await store.addFeedback(projectId, taskId, { kind: "flag_removed", value: null, source: "owner" });
    return getTaskDetail(store, projectId, taskId);
  });

  app.put("/tasks/:taskId/notes", async (request) => {
    const body = parseBody(notesBody, request.body);
    const projectId = projectIdOf(request);
    const taskId = param(request, "taskId");
    if (!(await store.getTask(projectId, taskId)))
      throw new DashboardError(404, `task ${taskId} does not exist in this project`);
    await store.addFeedback(projectId, taskId, {
      kind: "notes",
      value: null,
      source: "owner",
      notes: body.notes,
    });
    return getTaskDetail(store, projectId, taskId);
  });
};

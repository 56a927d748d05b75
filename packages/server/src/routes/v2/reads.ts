/** Reads, key required, the key's project only. */
import type { FastifyInstance } from "fastify";
import { authorizeProject, authorizeSession, authorizeTask, requireCaller } from "../../auth/index.js";
import { HttpError } from "../../errors.js";
import { readSteps } from "../../steps/index.js";
import {
  pageQuery,
  parseBody,
  sessionListBody,
  taskListBody,
  toSessionFilters,
  toTaskFilters,
} from "../../validate/index.js";
import { KEYED, type RouteContext } from "./context.js";
import { readTaskPage } from "./pages.js";
import { sessionToWire, taskToWire } from "./shapes.js";

export function readRoutes(app: FastifyInstance, { store, limits }: RouteContext): void {
  const cap = (limit: number | null | undefined) =>
    Math.min(limit ?? limits.maxListLimit, limits.maxListLimit);

  app.get<{ Params: { task_id: string } }>("/tasks/:task_id", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    const task = await authorizeTask(store, caller, request.params.task_id);
    return { ...taskToWire(task), steps: await readSteps(store.db, task.project_id, task.id) };
  });

  app.post<{ Params: { project_id: string } }>("/projects/:project_id/tasks", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    await authorizeProject(store, caller, request.params.project_id);
    const body = parseBody(taskListBody, request.body);
    const filters = toTaskFilters(body);
    return readTaskPage(
      (limit, offset) => store.listTasks(request.params.project_id, filters, limit, offset),
      { limit: cap(body.limit), offset: body.offset ?? 0, maxBytes: limits.maxReplyBytes },
    );
  });

  app.post<{ Params: { project_id: string } }>("/projects/:project_id/sessions", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    await authorizeProject(store, caller, request.params.project_id);
    const body = parseBody(sessionListBody, request.body);
    const rows = await store.listSessions(request.params.project_id, toSessionFilters(body), cap(body.limit));
    return { sessions: rows.map(sessionToWire) };
  });

  app.get<{ Params: { session_id: string } }>("/sessions/:session_id", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    return sessionToWire(await authorizeSession(store, caller, request.params.session_id));
  });

  app.get<{ Params: { session_id: string } }>("/sessions/:session_id/tasks", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    const session = await authorizeSession(store, caller, request.params.session_id);
    const query = parseBody(pageQuery, request.query);
    return readTaskPage(
      (limit, offset) => store.listSessionTasks(session.project_id, session.id, { limit, offset }),
      { limit: cap(query.limit), offset: query.offset ?? 0, maxBytes: limits.maxReplyBytes },
    );
  });

  app.get("/me", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    const project = await store.getProject(caller.projectId);
    if (!project) throw new HttpError(404, `Project ${caller.projectId} does not exist`);
    return {
      key_id: caller.keyId,
      project_id: project.id,
      project_name: project.name,
      projects: [{ id: project.id, name: project.name }],
    };
  });
}

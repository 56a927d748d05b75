/** `POST /log/{project_id}`: validate each event, store the valid ones, answer after their commit. */
import type { FastifyInstance } from "fastify";
import { authorizeProject, requireCaller } from "../../auth/index.js";
import { clientGone } from "../../security/index.js";
import { validateBatch } from "../../validate/index.js";
import { KEYED, type RouteContext } from "./context.js";

export function ingestRoutes(app: FastifyInstance, { store, limits }: RouteContext): void {
  app.post<{ Params: { project_id: string } }>("/log/:project_id", KEYED, async (request, reply) => {
    const caller = await requireCaller(store, request);
    const projectId = request.params.project_id;
    await authorizeProject(store, caller, projectId);
    const batch = validateBatch(request.body, projectId, Date.now(), limits);
    await store.ingest(projectId, batch.events, clientGone(reply));
    return { logged_events: batch.logged };
  });
}

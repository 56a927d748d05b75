/**
 * A project's API keys (`GET`, `POST /keys`, `POST /keys/:keyId/revoke`) and its name (`PATCH` on the project),
 * behind the project guard. Keys are listed by prefix, never in full; a new key's plaintext is in the one reply
 * that creates it. Revoking ends the key on /v2 and OTLP at once, and every dashboard session it opened.
 */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { ApiKeyRecord, Project } from "../../store/types.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { param, parseBody, projectIdOf } from "./request.js";

const keyBody = z.object({ name: z.string().trim().max(200).optional() });
const renameBody = z.object({ name: z.string().trim().min(1, "must not be empty").max(200) });

export function keyToApi(record: ApiKeyRecord) {
  return {
    id: record.id,
    prefix: record.key_prefix,
    name: record.name,
    created_at: Number(record.created_at),
    last_used_at: record.last_used_at === null ? null : Number(record.last_used_at),
    revoked_at: record.revoked_at === null ? null : Number(record.revoked_at),
  };
}

export function projectToApi(project: Project) {
  return { id: project.id, name: project.name, created_at: Number(project.created_at) };
}

export const keyRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  const { store } = ctx;

  app.get("/keys", async (request) => ({
    keys: (await store.listApiKeys(projectIdOf(request))).map(keyToApi),
  }));

  app.post("/keys", async (request) => {
    const { name } = parseBody(keyBody, request.body);
    const { key, record } = await store.createApiKey(projectIdOf(request), {
      name: name || "created in the dashboard",
    });
    return { key, record: keyToApi(record) };
  });

  app.post("/keys/:keyId/revoke", async (request) => {
    const keyId = param(request, "keyId");
    const projectId = projectIdOf(request);
    const exact = (await store.listApiKeys(projectId)).find((key) => key.id === keyId);
    if (!exact) throw new DashboardError(404, `key ${keyId} does not exist in project ${projectId}`);
    const record = await store.revokeApiKey(keyId, projectId);
    if (!record) throw new DashboardError(404, `key ${keyId} does not exist in project ${projectId}`);
    return { record: keyToApi(record) };
  });

  app.patch("", async (request) => {
    const { name } = parseBody(renameBody, request.body);
    const project = await store.renameProject(projectIdOf(request), name);
    if (!project) throw new DashboardError(404, `project ${projectIdOf(request)} does not exist`);
    return { project: projectToApi(project) };
  });
};

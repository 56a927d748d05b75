/** Event definitions (CRUD, templates, back-fill) and the project's model endpoint. The key is never returned. */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import {
  checkDefinitionWebhook,
  createBackfill,
  createDefinition,
  DefinitionError,
  definitionInput,
  definitionPatch,
  deleteDefinition,
  deleteEndpoint,
  endpointFromEnv,
  getDefinition,
  listDefinitions,
  loadEndpoint,
  publicDefinition,
  publicEndpoint,
  saveEndpoint,
  TEMPLATES,
  updateDefinition,
} from "../../analytics/index.js";
import { DEFAULT_RUNNER_OPTIONS, enqueue } from "../../jobs/index.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { param, parseBody, projectIdOf } from "./request.js";

const fromTemplate = z.object({ template: z.string().min(1).max(100) }).strict();

const backfillBody = z
  .object({
    event_ids: z.array(z.string().min(1).max(100)).max(100).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    version_id: z.string().min(1).max(500).optional(),
    flag: z.enum(["success", "failure"]).optional(),
  })
  .strict();

const endpointBody = z
  .object({
    base_url: z
      .string()
      .max(2_000)
      .refine((text) => /^https?:\/\//i.test(text) && URL.canParse(text), "must be an http(s) URL"),
    model: z.string().trim().min(1).max(200),
    /** Omitted: keep the stored key; null: remove it. */
    api_key: z.string().max(2_000).nullable().optional(),
  })
  .strict();

function definitionError(error: unknown): never {
  if (error instanceof DefinitionError) throw new DashboardError(400, error.message);
  throw error;
}

export const analyticsEventRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  const { db } = ctx.store;
  const fallback = () => endpointFromEnv(process.env);

  app.get("/events", async (request) => {
    const projectId = projectIdOf(request);
    const endpoint = await loadEndpoint(db, projectId, fallback());
    const rows = await listDefinitions(db, projectId);
    return {
      events: rows.map((row) => {
        const shown = publicDefinition(row);
        const status = !shown.active ? "inactive" : shown.needs_model && !endpoint ? "paused" : "active";
        return { ...shown, status };
      }),
      templates: TEMPLATES,
      endpoint: publicEndpoint(endpoint),
    };
  });

  app.post("/events", async (request, reply) => {
    const projectId = projectIdOf(request);
    const body = request.body as Record<string, unknown> | undefined;
    let input;
    if (body && typeof body === "object" && "template" in body) {
      const { template } = parseBody(fromTemplate, body);
      const found = TEMPLATES.find((candidate) => candidate.id === template);
      if (!found) throw new DashboardError(400, `invalid field template: no template "${template}"`);
      input = found.definition;
    } else {
      input = parseBody(definitionInput, body);
    }
    await checkDefinitionWebhook(input.webhook_url, ctx.webhooks).catch(definitionError);
    const row = await createDefinition(db, projectId, input).catch(definitionError);
    return reply.code(201).send(publicDefinition(row));
  });

  app.get("/events/:eventId", async (request) => {
    const row = await getDefinition(db, projectIdOf(request), param(request, "eventId"));
    if (!row)
      throw new DashboardError(404, `event ${param(request, "eventId")} does not exist in this project`);
    return publicDefinition(row);
  });

  app.patch("/events/:eventId", async (request) => {
    const patch = parseBody(definitionPatch, request.body);
    const current = await getDefinition(db, projectIdOf(request), param(request, "eventId"));
    if (!current)
      throw new DashboardError(404, `event ${param(request, "eventId")} does not exist in this project`);
    await checkDefinitionWebhook(patch.webhook_url, ctx.webhooks).catch(definitionError);
    return publicDefinition(await updateDefinition(db, current, patch).catch(definitionError));
  });

  app.delete("/events/:eventId", async (request, reply) => {
    const removed = await deleteDefinition(db, projectIdOf(request), param(request, "eventId"));
    if (!removed)
      throw new DashboardError(404, `event ${param(request, "eventId")} does not exist in this project`);
    return reply.code(204).send();
  });

  app.post("/events/backfill", async (request, reply) => {
    const projectId = projectIdOf(request);
    const body = parseBody(backfillBody, request.body);
    if (body.event_ids) {
      for (const id of body.event_ids) {
        if (!(await getDefinition(db, projectId, id))) {
          throw new DashboardError(
            400,
            `invalid field event_ids: event ${id} does not exist in this project`,
          );
        }
      }
    }
    const id = await createBackfill(
      db,
      projectId,
      body.event_ids ?? null,
      { from: body.from, to: body.to, versionId: body.version_id, flag: body.flag },
      (jobs, trx) => enqueue(trx, jobs, DEFAULT_RUNNER_OPTIONS.maxAttempts),
    );
    return reply.code(202).send({ id });
  });

  app.get("/analytics/endpoint", async (request) =>
    publicEndpoint(await loadEndpoint(db, projectIdOf(request), fallback())),
  );

  app.put("/analytics/endpoint", async (request) => {
    const body = parseBody(endpointBody, request.body);
    const projectId = projectIdOf(request);
    await saveEndpoint(db, projectId, { baseUrl: body.base_url, model: body.model, apiKey: body.api_key });
    return publicEndpoint(await loadEndpoint(db, projectId, fallback()));
  });

  app.delete("/analytics/endpoint", async (request) => {
    const projectId = projectIdOf(request);
    await deleteEndpoint(db, projectId);
    return publicEndpoint(await loadEndpoint(db, projectId, fallback()));
  });
};

/**
 * Signing in with a project API key, signing out, `GET /api/me` (the projects this session may open), and creating
 * a project. A key sign-in adds its project to the session's list, so one browser can switch between projects.
 * Sign-out ends the session on the server, for every copy of its cookie.
 */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { clearSession, readSession, writeSession } from "../auth/cookie.js";
import { requireSession } from "../auth/guard.js";
import { revokeServerSession } from "../auth/server-sessions.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { keyToApi, projectToApi } from "./keys.js";
import { parseBody } from "./request.js";

const signInBody = z.object({ apiKey: z.string().trim().min(1, "paste a project API key").max(500) });
export const projectNameBody = z.object({ name: z.string().trim().min(1, "must not be empty").max(200) });

export const accountRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.post("/signin", async (request, reply) => {
    const { apiKey } = parseBody(signInBody, request.body);
    const verified = await ctx.store.verifyApiKey(apiKey);
    if (!verified) throw new DashboardError(401, "this API key is unknown or revoked");
    const current = await readSession(ctx, request);
    const projects = [...new Set([...(current?.projects ?? []), verified.projectId])];
    await writeSession(
      ctx,
      request,
      reply,
      { projects, all: current?.all ?? false, keyId: verified.keyId },
      current,
    );
    return { projectId: verified.projectId };
  });

  app.post("/signout", async (request, reply) => {
    const current = await readSession(ctx, request);
    if (current) await revokeServerSession(ctx.store, current.sid);
    clearSession(reply);
    return { signedOut: true };
  });

  app.get("/me", async (request) => {
    const session = await requireSession(ctx, request);
    const all = await ctx.store.listProjects();
    const projects = session.all ? all : all.filter((p) => session.projects.includes(p.id));
    return {
      all: session.all,
      projects: projects.map(projectToApi),
    };
  });

  app.post("/projects", async (request, reply) => {
    const session = await requireSession(ctx, request);
    const { name } = parseBody(projectNameBody, request.body);
    const project = await ctx.store.createProject(name);
    const { key, record } = await ctx.store.createApiKey(project.id, { name: "created with the project" });
    if (!session.all) {
      await writeSession(
        ctx,
        request,
        reply,
        { projects: [...session.projects, project.id], all: false },
        session,
      );
    }
    return { project: projectToApi(project), key, record: keyToApi(record) };
  });
};

/**
 * Signing in with a project API key, signing out, and `GET /api/me` (the projects this session may open).
 * A key sign-in adds its project to the session's list, so one browser can switch between projects.
 */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { clearSession, readSession, writeSession } from "../auth/cookie.js";
import { requireSession } from "../auth/guard.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { parseBody } from "./request.js";

const signInBody = z.object({ apiKey: z.string().trim().min(1, "paste a project API key").max(500) });

export const accountRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.post("/signin", async (request, reply) => {
    const { apiKey } = parseBody(signInBody, request.body);
    const verified = await ctx.store.verifyApiKey(apiKey);
    if (!verified) throw new DashboardError(401, "this API key is unknown or revoked");
    const current = await readSession(ctx, request);
    const projects = [...new Set([...(current?.projects ?? []), verified.projectId])];
    await writeSession(ctx, request, reply, { projects, all: current?.all ?? false });
    return { projectId: verified.projectId };
  });

  app.post("/signout", async (_request, reply) => {
    clearSession(reply);
    return { signedOut: true };
  });

  app.get("/me", async (request) => {
    const session = await requireSession(ctx, request);
    const all = await ctx.store.listProjects();
    const projects = session.all ? all : all.filter((p) => session.projects.includes(p.id));
    return {
      all: session.all,
      projects: projects.map((p) => ({ id: p.id, name: p.name, created_at: Number(p.created_at) })),
    };
  });
};

/**
 * The gate in front of every project route: no valid session → 401, a project the session does not hold → 403,
 * a project that does not exist → 404. Runs before the handler, so no query ever sees an unchecked project id.
 */
import type { FastifyRequest } from "fastify";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { readSession } from "./cookie.js";
import { sessionAndProject } from "./server-sessions.js";
import { decodeSession, SESSION_COOKIE, sessionAllows, type DashboardSession } from "./session.js";

const notSignedIn = () =>
  new DashboardError(
    401,
    "not signed in: open the sign-in link printed by phospho-server or sign in with a project API key",
  );

export async function requireSession(
  ctx: DashboardContext,
  request: FastifyRequest,
): Promise<DashboardSession> {
  const session = await readSession(ctx, request);
  if (!session) throw notSignedIn();
  return session;
}

/** Every project route's gate; the session's and the project's rows are read in one statement. */
export async function requireProject(
  ctx: DashboardContext,
  request: FastifyRequest,
  projectId: string,
): Promise<void> {
  const session = decodeSession(await ctx.secret(), request.cookies[SESSION_COOKIE]);
  const found = session ? await sessionAndProject(ctx.store, session.sid, projectId) : null;
  if (!session || !found?.live) throw notSignedIn();
  if (!sessionAllows(session, projectId)) {
    throw new DashboardError(
      403,
      `this session cannot open project ${projectId}: sign in with one of its API keys`,
    );
  }
  if (!found.project) throw new DashboardError(404, `project ${projectId} does not exist`);
}

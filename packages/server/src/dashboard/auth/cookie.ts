/** Reading and writing the session cookie on a request/reply; the session behind it lives on the server too. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { DashboardContext } from "../context.js";
import { isServerSessionLive, linkKey, openServerSession } from "./server-sessions.js";
import {
  decodeSession,
  encodeSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type DashboardSession,
} from "./session.js";

/** The session of a valid cookie whose server-side session is neither revoked nor expired; else null. */
export async function readSession(
  ctx: DashboardContext,
  request: FastifyRequest,
): Promise<DashboardSession | null> {
  const session = decodeSession(await ctx.secret(), request.cookies[SESSION_COOKIE]);
  if (!session || !(await isServerSessionLive(ctx.store, session.sid))) return null;
  return session;
}

function setCookie(ctx: DashboardContext, request: FastifyRequest, reply: FastifyReply, value: string) {
  reply.setCookie(SESSION_COOKIE, value, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    // `request.protocol` honours X-Forwarded-Proto only when the trust-proxy option is on.
    secure: request.protocol === "https",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

/**
 * Opens a session (or extends `current`, keeping its id and expiry) with these projects. `keyId`: the API key that
 * granted them, linked so that revoking it ends the session.
 */
export async function writeSession(
  ctx: DashboardContext,
  request: FastifyRequest,
  reply: FastifyReply,
  grant: { projects: string[]; all: boolean; keyId?: string },
  current: DashboardSession | null = null,
): Promise<DashboardSession> {
  const keyId = grant.keyId ?? null;
  let session: DashboardSession;
  if (current) {
    if (keyId) await linkKey(ctx.store, current.sid, keyId);
    session = { ...current, projects: grant.projects, all: grant.all };
  } else {
    const exp = Date.now() + SESSION_TTL_MS;
    session = {
      sid: await openServerSession(ctx.store, exp, keyId),
      projects: grant.projects,
      all: grant.all,
      exp,
    };
  }
  setCookie(ctx, request, reply, encodeSession(await ctx.secret(), session));
  return session;
}

export function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}

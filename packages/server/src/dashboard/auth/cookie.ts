/** Reading and writing the session cookie on a request/reply. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { DashboardContext } from "../context.js";
import {
  decodeSession,
  encodeSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type DashboardSession,
} from "./session.js";

export async function readSession(
  ctx: DashboardContext,
  request: FastifyRequest,
): Promise<DashboardSession | null> {
  return decodeSession(await ctx.secret(), request.cookies[SESSION_COOKIE]);
}

export async function writeSession(
  ctx: DashboardContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: Omit<DashboardSession, "exp">,
): Promise<void> {
  const value = encodeSession(await ctx.secret(), { ...session, exp: Date.now() + SESSION_TTL_MS });
  reply.setCookie(SESSION_COOKIE, value, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure: request.protocol === "https",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}

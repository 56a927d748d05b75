/**
 * The session cookie: `base64url(JSON payload).base64url(HMAC-SHA256)`. It carries which projects the browser may
 * open and until when, and the id of its server-side session (server-sessions.ts), checked on every request so
 * that sign-out and key revocation end it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "phospho_session";
/** How long a session lasts, in ms (30 days). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface DashboardSession {
  /** Id of the server-side session (only its hash is stored). */
  sid: string;
  /** Project ids opened with an API key. */
  projects: string[];
  /** True for a session opened with the operator's one-time link: every project of this server. */
  all: boolean;
  /** Expiry, ms since epoch. */
  exp: number;
}

function sign(secret: Buffer, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}

export function encodeSession(secret: Buffer, session: DashboardSession): string {
  const body = Buffer.from(JSON.stringify(session)).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

function isSession(value: unknown): value is DashboardSession {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.sid === "string" &&
    Array.isArray(v.projects) &&
    v.projects.every((p) => typeof p === "string") &&
    typeof v.all === "boolean" &&
    typeof v.exp === "number"
  );
}

/** The session in a cookie value, or null when absent, tampered with, malformed or expired. */
export function decodeSession(
  secret: Buffer,
  cookie: string | undefined,
  now = Date.now(),
): DashboardSession | null {
  if (!cookie) return null;
  const dot = cookie.indexOf(".");
  if (dot <= 0) return null;
  const body = cookie.slice(0, dot);
  const given = Buffer.from(cookie.slice(dot + 1));
  const expected = Buffer.from(sign(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (!isSession(parsed) || parsed.exp <= now) return null;
    return parsed;
  } catch {
    return null;
  }
}

export function sessionAllows(session: DashboardSession, projectId: string): boolean {
  return session.all || session.projects.includes(projectId);
}

/**
 * Tells a store that is away (PostgreSQL restarting or unreachable, SQLite locked past its timeout) from a
 * request that failed. The former is answered 503 with Retry-After, so clients retry instead of giving up, and is
 * not the client's fault nor a bug of ours.
 */

import { isDiskFull } from "./disk-full.js";

/** PostgreSQL SQLSTATEs of a connection that failed or a server shutting down or starting. */
const PG_UNAVAILABLE = /^(08\d{3}|57P0[1-4]|53300|53100)$/;
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);
/**
 * Busy or locked past the timeout, and a full disk (or database): nothing was committed, a retry may pass. Also
 * every SQLite reader busy for a whole query budget (`sqlite-readers/`).
 */
const SQLITE_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "PHOSPHO_READERS_BUSY"]);
/** pg's own errors carry no code; these are its messages for a lost or refused connection. */
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (PG_UNAVAILABLE.test(code) || SOCKET_CODES.has(code) || SQLITE_CODES.has(code))
    ) {
      return true;
    }
    if (PG_MESSAGES.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The 503 reply for an unavailable store: what to tell the client, and when to come back. A full disk does not
 * clear in a second, so it asks for 30 s and says what the operator must do.
 */
export function unavailableReply(error: Error): { detail: string; retryAfter: string } {
  if (isDiskFull(error)) {
    return {
      detail:
        `The store is read-only: the disk holding it is full (${error.message}). Nothing of this request was ` +
        "stored: retry later (the operator must free disk space)",
      retryAfter: "30",
    };
  }
  return {
    detail: `The store is unavailable right now (${error.message}): retry in a moment`,
    retryAfter: "1",
  };
}

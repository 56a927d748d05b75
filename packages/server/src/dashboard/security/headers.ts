/**
 * Browser-facing headers. Every page and file of the UI carries the page policy, whichever path served it
 * (`/`, `/index.html`, a deep link, an asset); every `/api` reply carries the API policy, so a JSON or export
 * body can never be sniffed into HTML, framed, or load anything.
 */
import type { FastifyReply } from "fastify";

/** The page's security policy: no inline or foreign script can run even if some text slipped through as HTML. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** JSON and downloads are never documents: nothing in them may load or run, and nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

function common(reply: FastifyReply): FastifyReply {
  return reply
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    .header("referrer-policy", "no-referrer");
}

export function setPageHeaders(reply: FastifyReply): void {
  common(reply).header("content-security-policy", PAGE_CSP);
}

export function setApiHeaders(reply: FastifyReply): void {
  common(reply).header("content-security-policy", API_CSP);
}

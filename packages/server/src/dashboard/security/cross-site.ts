/**
 * State-changing `/api` requests must come from the dashboard's own pages. SameSite=Strict keeps the cookie off
 * requests from other sites, but not from other ports of the same host (`localhost:3000` is the same site as
 * `localhost:7878`), and a text/plain or form POST needs no CORS preflight. So, for every method but GET, HEAD
 * and OPTIONS: a browser that says the request is not same-origin (Origin, Sec-Fetch-Site) gets 403, and a body
 * that is not JSON gets 415 (only a preflighted request can send JSON to another origin).
 */
import type { FastifyRequest } from "fastify";
import { DashboardError } from "../errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SAME_ORIGIN_FETCH = new Set(["same-origin", "none"]);

/**
 * The host (and port) an Origin header names, or null for `null` and garbage. Only the host is compared with
 * the request's Host: behind a TLS-terminating proxy the collector sees http while the browser says https.
 */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase() || null;
  } catch {
    return null;
  }
}

export function refuseCrossSite(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const fetchSite = request.headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && !SAME_ORIGIN_FETCH.has(fetchSite.toLowerCase())) {
    throw new DashboardError(
      403,
      `cross-origin request refused: Sec-Fetch-Site is ${fetchSite}; use the dashboard at its own origin`,
    );
  }
  const origin = request.headers.origin;
  if (origin !== undefined && originHost(origin) !== request.host.toLowerCase()) {
    throw new DashboardError(
      403,
      `cross-origin request refused: Origin ${origin} is not this dashboard's host ${request.host}`,
    );
  }
  const type = request.headers["content-type"];
  if (type !== undefined && type.split(";")[0]?.trim().toLowerCase() !== "application/json") {
    throw new DashboardError(415, "Content-Type must be application/json for this request");
  }
}

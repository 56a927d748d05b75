/**
 * Key before body. A route that takes an API key says so in its config (`{ config: { key: "required" } }`, or
 * `"optional"` for a route that key-less browser widgets may also call); this `onRequest` hook checks the key from
 * the headers before a single byte of the body is read or parsed, so a client without a valid key cannot make the
 * collector parse anything. The check itself (`authenticate`) is the auth module's; it remembers its answer for
 * the handler.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";

export type KeyMode = "required" | "optional";

declare module "fastify" {
  interface FastifyContextConfig {
    /** `required`: no body is read without a valid key. `optional`: a present key must be valid. */
    key?: KeyMode;
  }
}

export function keyModeOf(request: FastifyRequest): KeyMode | undefined {
  return request.routeOptions.config.key;
}

/** `authenticate` throws (an HttpError 401) when the key is missing (for `required`) or invalid. */
export function registerKeyGate(
  app: FastifyInstance,
  authenticate: (request: FastifyRequest, mode: KeyMode) => Promise<unknown>,
): void {
  app.addHook("onRequest", async (request) => {
    const mode = keyModeOf(request);
    if (mode) await authenticate(request, mode);
  });
}

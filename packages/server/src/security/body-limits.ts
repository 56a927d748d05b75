/**
 * Body size per kind of route. Routes that answer without a key (feedback from browser widgets) and the
 * dashboard's `/api` take small bodies; only routes behind a checked key (`config.key === "required"`) may
 * receive the large ingest limit. Applied when each route is added, so routes added later (OTLP) follow suit.
 */
import type { FastifyInstance } from "fastify";

export function registerBodyLimits(
  app: FastifyInstance,
  limits: { bodyLimitBytes: number; smallBodyLimitBytes: number },
): void {
  app.addHook("onRoute", (route) => {
    if (route.bodyLimit !== undefined) return;
    const keyed = (route.config as { key?: string } | undefined)?.key === "required";
    route.bodyLimit = keyed ? limits.bodyLimitBytes : limits.smallBodyLimitBytes;
  });
}

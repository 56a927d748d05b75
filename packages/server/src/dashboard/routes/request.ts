/** Small helpers every route file uses: the project id from the path and body parsing with zod. */
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { DashboardError } from "../errors.js";

export function projectIdOf(request: FastifyRequest): string {
  return (request.params as { projectId: string }).projectId;
}

export function param(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? "";
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "body";
  throw new DashboardError(400, `invalid field ${field}: ${issue?.message ?? "bad value"}`);
}

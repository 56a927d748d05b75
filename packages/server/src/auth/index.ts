/**
 * Who is calling, and what they may touch. 401: no usable key; 403: a valid key of another project; 404: a task
 * or session this key cannot see, whether it exists in another project or nowhere (so that a key learns nothing
 * about other projects' ids).
 */
import type { FastifyRequest } from "fastify";
import { HttpError } from "../errors.js";
import type { Store } from "../store/types.js";

export interface Caller {
  keyId: string;
  projectId: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Callers already checked for a request (by the key gate, before the body was read). */
const checked = new WeakMap<FastifyRequest, Caller | null>();

/**
 * The key gate's check (src/security/key-gate.ts), before the body is read: a present key must be valid, and a
 * `required` one must be present. The answer is kept for the handler's `requireCaller` / `optionalCaller`.
 */
export async function authenticate(
  store: Store,
  request: FastifyRequest,
  mode: "required" | "optional",
): Promise<void> {
  if (mode === "required") await requireCaller(store, request);
  else await optionalCaller(store, request);
}

/** The caller when an Authorization header is present; null when absent. A bad header is a 401. */
export async function optionalCaller(store: Store, request: FastifyRequest): Promise<Caller | null> {
  if (checked.has(request)) return checked.get(request) ?? null;
  const caller = await verifyHeader(store, request);
  checked.set(request, caller);
  return caller;
}

async function verifyHeader(store: Store, request: FastifyRequest): Promise<Caller | null> {
  const header = request.headers.authorization;
  if (header === undefined || header === "") return null;
  const match = BEARER.exec(header);
  if (!match) throw new HttpError(401, "Authorization header is malformed: expected `Bearer <api key>`");
  const caller = await store.verifyApiKey(match[1]!);
  if (!caller) throw new HttpError(401, "Invalid API key: it is unknown or revoked");
  return caller;
}

export async function requireCaller(store: Store, request: FastifyRequest): Promise<Caller> {
  const caller = await optionalCaller(store, request);
  if (!caller) {
    throw new HttpError(401, "Authorization header is missing: send `Authorization: Bearer <api key>`");
  }
  return caller;
}

/** The project in a path or body must exist (else 404) and be the key's (else 403). */
export async function authorizeProject(store: Store, caller: Caller, projectId: string): Promise<void> {
  if (caller.projectId === projectId) return;
  if (!(await store.getProject(projectId))) throw new HttpError(404, `Project ${projectId} does not exist`);
  throw new HttpError(403, `This API key does not give access to project ${projectId}`);
}

/** A task id seen through a key: the key's own task, else 404 (never telling whether another project has it). */
export async function authorizeTask(store: Store, caller: Caller, taskId: string) {
  const task = await store.getTask(caller.projectId, taskId);
  if (task) return task;
  throw new HttpError(404, `Task ${taskId} does not exist in project ${caller.projectId}`);
}

export async function authorizeSession(store: Store, caller: Caller, sessionId: string) {
  const session = await store.getSession(caller.projectId, sessionId);
  if (session) return session;
  throw new HttpError(404, `Session ${sessionId} does not exist in project ${caller.projectId}`);
}

/**
 * Who is calling, and what they may touch. 401: no usable key; 403: a valid key of another project; 404: the
 * thing does not exist anywhere.
 */
import type { FastifyRequest } from "fastify";
import { HttpError } from "../errors.js";
import type { Store } from "../store/types.js";

export interface Caller {
  keyId: string;
  projectId: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The caller when an Authorization header is present; null when absent. A bad header is a 401. */
export async function optionalCaller(store: Store, request: FastifyRequest): Promise<Caller | null> {
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

/** A task id seen through a key: the key's own task, 403 when only other projects hold it, else 404. */
export async function authorizeTask(store: Store, caller: Caller, taskId: string) {
  const task = await store.getTask(caller.projectId, taskId);
  if (task) return task;
  if ((await store.projectsWithTask(taskId)).length > 0) {
    throw new HttpError(403, `This API key does not give access to task ${taskId}`);
  }
  throw new HttpError(404, `Task ${taskId} does not exist`);
}

export async function authorizeSession(store: Store, caller: Caller, sessionId: string) {
  const session = await store.getSession(caller.projectId, sessionId);
  if (session) return session;
  if ((await store.projectsWithSession(sessionId)).length > 0) {
    throw new HttpError(403, `This API key does not give access to session ${sessionId}`);
  }
  throw new HttpError(404, `Session ${sessionId} does not exist`);
}

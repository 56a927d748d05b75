/**
 * Feedback: `/tasks/{id}/flag`, `/tasks/{id}/human-eval` (with a key, or without one when the body names the
 * task's project, for browser widgets), and the owner's `POST /tasks/{id}` (key required).
 *
 * Without a key, only the task with this id IN the named project is touched; feedback for a task that has not
 * arrived yet is kept only when the named project exists. Anyone who knows a project id can send key-less
 * feedback, so it is rate-limited (per address and per project), answers with no task content, and never
 * overwrites the owner's flag, notes or human evaluation (see store/evals.ts).
 */
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  authorizeProject,
  authorizeTask,
  optionalCaller,
  requireCaller,
  type Caller,
} from "../../auth/index.js";
import { HttpError } from "../../errors.js";
import type { FeedbackInput } from "../../store/types.js";
import {
  flagBody,
  humanEvalBody,
  metadataRangeIssue,
  parseBody,
  taskUpdateBody,
  toTaskPatch,
} from "../../validate/index.js";
import { KEY_OPTIONAL, KEYED, type RouteContext } from "./context.js";
import { taskToWire } from "./shapes.js";

type TaskParams = { Params: { task_id: string } };

function refuseOverRate(context: RouteContext, request: FastifyRequest, projectId: string): void {
  const byAddress = context.keylessFeedback.perAddress.hit(request.ip);
  const byProject = context.keylessFeedback.perProject.hit(projectId);
  const over = !byAddress.allowed ? byAddress : !byProject.allowed ? byProject : null;
  if (!over) return;
  throw new HttpError(
    429,
    `Too much feedback without a key (${byAddress.allowed ? "for this project" : "from this address"}): ` +
      `retry in ${over.retryAfterSeconds} s, or send it with the project's API key`,
    { headers: { "retry-after": String(over.retryAfterSeconds) } },
  );
}

async function targetProject(
  context: RouteContext,
  request: FastifyRequest,
  caller: Caller | null,
  taskId: string,
  bodyProject: string | null | undefined,
): Promise<string> {
  const { store, limits } = context;
  if (caller) {
    const projectId = bodyProject ?? caller.projectId;
    await authorizeProject(store, caller, projectId);
    return projectId;
  }
  if (!bodyProject) {
    throw new HttpError(
      401,
      "Authorization header is missing: send `Authorization: Bearer <api key>`, or project_id in the body",
    );
  }
  refuseOverRate(context, request, bodyProject);
  if (!(await store.getTask(bodyProject, taskId))) {
    if (!(await store.getProject(bodyProject))) {
      throw new HttpError(404, `Project ${bodyProject} does not exist`);
    }
    // Anyone who knows a project id may send this, so what it can pile up is bounded: old pending feedback
    // expires, and one address keeps at most its share, so it cannot use up the project's allowance.
    await store.expirePendingFeedback(bodyProject, Date.now() - limits.pendingFeedbackTtlMs);
    const perAddress = limits.maxPendingFeedbackPerAddress;
    if ((await store.countPendingFeedback(bodyProject, perAddress, clientHash(request))) >= perAddress) {
      throw new HttpError(
        429,
        `This address already keeps ${perAddress} feedback for tasks of project ${bodyProject} that have not ` +
          "arrived: log the task first, or send the feedback with the project's API key",
      );
    }
    const cap = limits.maxPendingFeedback;
    if ((await store.countPendingFeedback(bodyProject, cap)) >= cap) {
      throw new HttpError(
        429,
        `Project ${bodyProject} already keeps ${cap} feedback for tasks that have not arrived: ` +
          "log the task first, or send the feedback with the project's API key",
      );
    }
  }
  return bodyProject;
}

/** The client address, hashed: enough to count per address, without storing end users' addresses. */
function clientHash(request: FastifyRequest): string {
  return createHash("sha256").update(request.ip).digest("hex").slice(0, 32);
}

async function give(
  context: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: Caller | null,
  projectId: string,
  taskId: string,
  feedback: FeedbackInput,
) {
  const result = await context.store.addFeedback(projectId, taskId, {
    ...feedback,
    keyless: caller === null,
    client: caller === null ? clientHash(request) : undefined,
    keepHistory: context.limits.maxEvalsPerTask,
  });
  if (result.task && caller) return taskToWire(result.task);
  if (result.task) return { task_id: taskId, project_id: projectId, recorded: true };
  reply.code(202);
  return {
    task_id: taskId,
    project_id: projectId,
    pending: true,
    detail: `Task ${taskId} has not arrived yet: the feedback is kept and applied when it does`,
  };
}

/** Key-less callers are never the owner, whatever source they claim. */
function sourceOf(caller: Caller | null, ...given: Array<string | null | undefined>): string {
  if (!caller) return "user";
  return given.find((value) => value != null) ?? "owner";
}

export function feedbackRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, limits } = context;
  app.post<TaskParams>("/tasks/:task_id/flag", KEY_OPTIONAL, async (request, reply) => {
    const caller = await optionalCaller(store, request);
    const body = parseBody(flagBody(limits.maxNotesChars), request.body);
    const taskId = request.params.task_id;
    const projectId = await targetProject(context, request, caller, taskId, body.project_id);
    return give(context, request, reply, caller, projectId, taskId, {
      kind: "flag",
      value: body.flag,
      source: sourceOf(caller, body.source, body.flag_source),
      notes: body.notes ?? undefined,
    });
  });

  app.post<TaskParams>("/tasks/:task_id/human-eval", KEY_OPTIONAL, async (request, reply) => {
    const caller = await optionalCaller(store, request);
    const body = parseBody(humanEvalBody(limits.maxNotesChars), request.body);
    const taskId = request.params.task_id;
    const projectId = await targetProject(context, request, caller, taskId, body.project_id);
    return give(context, request, reply, caller, projectId, taskId, {
      kind: "human_eval",
      value: body.human_eval,
      source: sourceOf(caller, body.source),
      notes: body.notes ?? undefined,
    });
  });

  app.post<TaskParams>("/tasks/:task_id", KEYED, async (request) => {
    const caller = await requireCaller(store, request);
    const body = parseBody(taskUpdateBody(limits.maxNotesChars), request.body);
    const task = await authorizeTask(store, caller, request.params.task_id);
    const patch = toTaskPatch(body);
    const rangeIssue = patch.metadata ? metadataRangeIssue(patch.metadata) : null;
    if (rangeIssue) throw new HttpError(422, rangeIssue);
    const updated = await store.updateTask(task.project_id, task.id, patch);
    if (!updated) throw new HttpError(404, `Task ${task.id} does not exist`);
    return taskToWire(updated);
  });
}

/**
 * Feedback: `/tasks/{id}/flag`, `/tasks/{id}/human-eval` (with a key, or without one when the body names the
 * task's project, for browser widgets), and the owner's `POST /tasks/{id}` (key required).
 *
 * Without a key, only the task with this id IN the named project is touched; feedback for a task that has not
 * arrived yet is kept only when the named project exists.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { authorizeProject, authorizeTask, optionalCaller, requireCaller } from "../../auth/index.js";
import { HttpError } from "../../errors.js";
import type { FeedbackInput, Store } from "../../store/types.js";
import { flagBody, humanEvalBody, parseBody, taskUpdateBody, toTaskPatch } from "../../validate/index.js";
import type { RouteContext } from "./context.js";
import { taskToWire } from "./shapes.js";

type TaskParams = { Params: { task_id: string } };

async function targetProject(
  { store, limits }: RouteContext,
  caller: Awaited<ReturnType<typeof optionalCaller>>,
  taskId: string,
  bodyProject: string | null | undefined,
): Promise<string> {
  if (caller) {
    const projectId = bodyProject ?? caller.projectId;
    await authorizeProject(store, caller, projectId);
    if (!(await store.getTask(projectId, taskId)) && (await store.projectsWithTask(taskId)).length > 0) {
      throw new HttpError(403, `This API key does not give access to task ${taskId}`);
    }
    return projectId;
  }
  if (!bodyProject) {
    throw new HttpError(
      401,
      "Authorization header is missing: send `Authorization: Bearer <api key>`, or project_id in the body",
    );
  }
  if (!(await store.getTask(bodyProject, taskId))) {
    if (!(await store.getProject(bodyProject))) {
      throw new HttpError(404, `Project ${bodyProject} does not exist`);
    }
    // Anyone who knows a project id may send this, so what it can pile up is bounded.
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

async function give(
  store: Store,
  reply: FastifyReply,
  projectId: string,
  taskId: string,
  feedback: FeedbackInput,
) {
  const result = await store.addFeedback(projectId, taskId, feedback);
  if (result.task) return taskToWire(result.task);
  reply.code(202);
  return {
    task_id: taskId,
    project_id: projectId,
    pending: true,
    detail: `Task ${taskId} has not arrived yet: the feedback is kept and applied when it does`,
  };
}

export function feedbackRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  app.post<TaskParams>("/tasks/:task_id/flag", async (request, reply) => {
    const caller = await optionalCaller(store, request);
    const body = parseBody(flagBody, request.body);
    const taskId = request.params.task_id;
    const projectId = await targetProject(context, caller, taskId, body.project_id);
    return give(store, reply, projectId, taskId, {
      kind: "flag",
      value: body.flag,
      source: body.source ?? body.flag_source ?? (caller ? "owner" : "user"),
      notes: body.notes ?? undefined,
    });
  });

  app.post<TaskParams>("/tasks/:task_id/human-eval", async (request, reply) => {
    const caller = await optionalCaller(store, request);
    const body = parseBody(humanEvalBody, request.body);
    const taskId = request.params.task_id;
    const projectId = await targetProject(context, caller, taskId, body.project_id);
    return give(store, reply, projectId, taskId, {
      kind: "human_eval",
      value: body.human_eval,
      source: body.source ?? (caller ? "owner" : "user"),
      notes: body.notes ?? undefined,
    });
  });

  app.post<TaskParams>("/tasks/:task_id", async (request) => {
    const caller = await requireCaller(store, request);
    const body = parseBody(taskUpdateBody, request.body);
    const task = await authorizeTask(store, caller, request.params.task_id);
    const updated = await store.updateTask(task.project_id, task.id, toTaskPatch(body));
    if (!updated) throw new HttpError(404, `Task ${task.id} does not exist`);
    return taskToWire(updated);
  });
}

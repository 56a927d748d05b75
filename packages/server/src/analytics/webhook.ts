/** The `webhook` job: POSTs a detection to the definition's URL; 5xx, 429 and network errors are retried. */
import { JobError, type Job, type JobContext } from "../jobs/index.js";
import { getDefinition } from "./definitions.js";

export const WEBHOOK_TIMEOUT_MS = 10_000;

export async function runWebhook(
  job: Job,
  payload: { taskId: string; definitionId: string; version: number },
  ctx: JobContext,
): Promise<void> {
  const definition = await getDefinition(ctx.db, job.project_id, payload.definitionId);
  if (!definition?.webhook_url) return;
  const detection = await ctx.db
    .selectFrom("detections")
    .select(["task_id", "session_id", "present", "label", "score", "confidence", "created_at"])
    .where("project_id", "=", job.project_id)
    .where("task_id", "=", payload.taskId)
    .where("definition_id", "=", payload.definitionId)
    .where("definition_version", "=", payload.version)
    .executeTakeFirst();
  if (!detection) return;
  let response: Response;
  try {
    response = await fetch(definition.webhook_url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        project_id: job.project_id,
        event: { id: definition.id, name: definition.name, version: payload.version },
        detection: { ...detection, present: detection.present === 1 },
      }),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (error) {
    throw new JobError(`webhook unreachable: ${(error as Error).message}`, true);
  }
  await response.body?.cancel().catch(() => {});
  if (!response.ok) {
    const retryable = response.status === 429 || response.status >= 500;
    throw new JobError(`webhook answered ${response.status}`, retryable);
  }
}

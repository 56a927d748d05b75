/** The `llm_detect` job: one LLM detector on one task (or one session), written with the job's completion. */
import type { Kysely } from "kysely";
import { JobError, type Job, type JobContext } from "../../jobs/index.js";
import type { Database } from "../../store/schema.js";
import { detectionValues, sessionTaskId, webhookJob, writeDetections } from "../analyze.js";
import { getDefinition } from "../definitions.js";
import { parseConfig, scopeText } from "../detectors/index.js";
import type { ModelEndpoint } from "../endpoint.js";
import type { DefinitionRow } from "../types.js";
import { complete } from "./client.js";
import { buildMessages, parseAnswer, type Example } from "./prompts.js";

export interface LlmDetectPayload {
  taskId?: string;
  sessionId?: string;
  definitionId: string;
  version: number;
}

/** The session as one text, in conversation order. */
export async function sessionText(
  db: Kysely<Database>,
  projectId: string,
  sessionId: string,
): Promise<string> {
  const rows = await db
    .selectFrom("tasks")
    .select(["input", "output"])
    .where("project_id", "=", projectId)
    .where("session_id", "=", sessionId)
    .orderBy("task_position")
    .orderBy("created_at")
    .execute();
  return rows.map((row) => `User: ${row.input}\nAssistant: ${row.output ?? ""}`).join("\n");
}

/** Up to one confirmed (or corrected) and one removed detection of this definition, as few-shot examples. */
async function examples(db: Kysely<Database>, definition: DefinitionRow): Promise<Example[]> {
  const out: Example[] = [];
  for (const review of ["confirmed", "corrected", "removed"] as const) {
    if (review === "corrected" && out.length > 0) continue;
    const row = await db
      .selectFrom("detections")
      .innerJoin("tasks", (join) =>
        join
          .onRef("tasks.project_id", "=", "detections.project_id")
          .onRef("tasks.id", "=", "detections.task_id"),
      )
      .select([
        "detections.label",
        "detections.score",
        "detections.present",
        "detections.corrected_label",
        "detections.corrected_score",
        "tasks.input",
        "tasks.output",
        "tasks.system_prompt",
      ])
      .where("detections.project_id", "=", definition.project_id)
      .where("detections.definition_id", "=", definition.id)
      .where("detections.review", "=", review)
      .orderBy("detections.reviewed_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!row) continue;
    const text = scopeText(definition.scope, row);
    const answer = exampleAnswer(definition.detector, review, row);
    if (answer !== null) out.push({ text, answer });
  }
  return out;
}

function exampleAnswer(
  detector: string,
  review: "confirmed" | "corrected" | "removed",
  row: {
    present: number;
    label: string | null;
    score: number | null;
    corrected_label: string | null;
    corrected_score: number | null;
  },
): string | null {
  if (detector === "llm_tagger") {
    const present =
      review === "removed"
        ? row.present !== 1
        : review === "corrected"
          ? row.present !== 1
          : row.present === 1;
    return present ? "yes" : "no";
  }
  if (review === "removed") return detector === "llm_classifier" ? "none" : null;
  if (detector === "llm_scorer") {
    const score = review === "corrected" ? row.corrected_score : row.score;
    return score === null ? null : String(score);
  }
  const label = review === "corrected" ? row.corrected_label : row.label;
  return label ?? null;
}

export async function runLlmDetect(
  job: Job,
  payload: LlmDetectPayload,
  ctx: JobContext,
  endpoint: ModelEndpoint | null,
): Promise<void> {
  const definition = await getDefinition(ctx.db, job.project_id, payload.definitionId);
  // Deleted, paused or changed since the job was queued: nothing to do for this version.
  if (!definition || definition.active !== 1 || definition.version !== payload.version) return;
  if (!endpoint)
    throw new JobError("no model endpoint is set for this project: LLM detectors are paused", true, 60_000);

  let text: string;
  let taskId: string;
  let sessionId: string | null;
  if (payload.sessionId !== undefined) {
    text = await sessionText(ctx.db, job.project_id, payload.sessionId);
    taskId = sessionTaskId(payload.sessionId);
    sessionId = payload.sessionId;
  } else {
    const task = await ctx.db
      .selectFrom("tasks")
      .select(["id", "session_id", "input", "output", "system_prompt"])
      .where("project_id", "=", job.project_id)
      .where("id", "=", payload.taskId ?? "")
      .executeTakeFirst();
    if (!task) return;
    text = scopeText(definition.scope, task);
    taskId = task.id;
    sessionId = task.session_id;
  }

  const config = parseConfig(definition.config);
  const question = config.prompt || definition.description || definition.name;
  const messages = buildMessages(
    definition.detector,
    question,
    config,
    text,
    await examples(ctx.db, definition),
  );
  await ctx.rateLimit();
  const answer = await complete(endpoint, messages, definition.detector === "llm_classifier" ? 10 : 3);
  const finding = parseAnswer(definition.detector, config, answer.text, answer.topLogprobs);

  await ctx.transaction(async (trx) => {
    await writeDetections(trx, [detectionValues(definition, taskId, sessionId, finding, Date.now())]);
    const hook = finding.present ? webhookJob(definition, taskId) : null;
    if (hook) await ctx.enqueue([hook], trx);
    await ctx.done(trx);
  });
}

/**
 * The optional LLM judge: success or failure for a sample of tasks, with the team's guidelines and few-shot
 * examples from tasks a human flagged. Its verdict is an `evals` row of kind `judge` (source `phospho-judge`),
 * never the task's flag, so a human flag always wins; the agreement rate compares the two where both exist.
 */
import type { Kysely } from "kysely";
import { JobError, type Job, type JobContext } from "../jobs/index.js";
import type { Database } from "../store/schema.js";
import type { ModelEndpoint } from "./endpoint.js";
import { complete, type ChatMessage } from "./llm/client.js";
import { parseAnswer } from "./llm/prompts.js";

export const JUDGE_SOURCE = "phospho-judge";
const VERDICTS = { categories: ["success", "failure"] };

export interface JudgeSettings {
  enabled: boolean;
  guidelines: string;
  sample_rate: number;
}

export async function loadJudge(db: Kysely<Database>, projectId: string): Promise<JudgeSettings> {
  const row = await db
    .selectFrom("judge_settings")
    .selectAll()
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  return row
    ? { enabled: row.enabled === 1, guidelines: row.guidelines, sample_rate: Number(row.sample_rate) }
    : { enabled: false, guidelines: "", sample_rate: 1 };
}

export async function saveJudge(
  db: Kysely<Database>,
  projectId: string,
  settings: JudgeSettings,
  now = Date.now(),
) {
  const row = {
    project_id: projectId,
    enabled: settings.enabled ? 1 : 0,
    guidelines: settings.guidelines,
    sample_rate: settings.sample_rate,
    updated_at: now,
  };
  await db
    .insertInto("judge_settings")
    .values(row)
    .onConflict((c) =>
      c.column("project_id").doUpdateSet({
        enabled: row.enabled,
        guidelines: row.guidelines,
        sample_rate: row.sample_rate,
        updated_at: now,
      }),
    )
    .execute();
}

function transcript(task: { input: string; output: string | null }): string {
  return `User: ${task.input}\nAssistant: ${task.output ?? ""}`;
}

export async function runJudge(
  job: Job,
  payload: { taskId: string },
  ctx: JobContext,
  endpoint: ModelEndpoint | null,
) {
  const settings = await loadJudge(ctx.db, job.project_id);
  if (!settings.enabled) return;
  if (!endpoint)
    throw new JobError("no model endpoint is set for this project: the judge is paused", true, 60_000);
  const task = await ctx.db
    .selectFrom("tasks")
    .select(["id", "input", "output"])
    .where("project_id", "=", job.project_id)
    .where("id", "=", payload.taskId)
    .executeTakeFirst();
  if (!task) return;
  const messages: ChatMessage[] = [
    {
      role: "system",
      content:
        "You evaluate whether an AI assistant's answer to a user succeeded.\n" +
        (settings.guidelines ? `Guidelines: ${settings.guidelines}\n` : "") +
        "Answer with one word, success or failure, nothing else.",
    },
  ];
  for (const verdict of ["success", "failure"] as const) {
    const example = await ctx.db
      .selectFrom("tasks")
      .select(["input", "output"])
      .where("project_id", "=", job.project_id)
      .where("flag", "=", verdict)
      .where("flag_source", "is not", null)
      .where("flag_source", "!=", JUDGE_SOURCE)
      .where("id", "!=", task.id)
      .orderBy("updated_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!example) continue;
    messages.push({ role: "user", content: transcript(example) }, { role: "assistant", content: verdict });
  }
  messages.push({ role: "user", content: transcript(task) });
  await ctx.rateLimit();
  const answer = await complete(endpoint, messages, 3);
  const finding = parseAnswer("llm_classifier", VERDICTS, answer.text, answer.topLogprobs);
  if (!finding.label)
    throw new JobError(`the judge answered "${answer.text.slice(0, 30)}", not success or failure`, true);
  await ctx.transaction(async (trx) => {
    await trx
      .insertInto("evals")
      .values({
        project_id: job.project_id,
        task_id: task.id,
        kind: "judge",
        value: finding.label,
        source: JUDGE_SOURCE,
        notes: `confidence ${finding.confidence}`,
        created_at: Date.now(),
        applied: 1,
      })
      .execute();
    await ctx.done(trx);
  });
}

/** Over tasks with both a judge verdict (the latest) and a human flag: how often they agree. */
export async function judgeAgreement(
  db: Kysely<Database>,
  projectId: string,
): Promise<{ n: number; agree: number; rate: number | null }> {
  const rows = await db
    .selectFrom("evals")
    .innerJoin("tasks", (join) =>
      join.onRef("tasks.project_id", "=", "evals.project_id").onRef("tasks.id", "=", "evals.task_id"),
    )
    .select(["evals.task_id", "evals.value", "evals.id", "tasks.flag"])
    .where("evals.project_id", "=", projectId)
    .where("evals.kind", "=", "judge")
    .where("tasks.flag", "is not", null)
    .where("tasks.flag_source", "is not", null)
    .where("tasks.flag_source", "!=", JUDGE_SOURCE)
    .orderBy("evals.id")
    .execute();
  const latest = new Map<string, { value: string | null; flag: string | null }>();
  for (const row of rows) latest.set(row.task_id, { value: row.value, flag: row.flag });
  const n = latest.size;
  const agree = [...latest.values()].filter((row) => row.value === row.flag).length;
  return { n, agree, rate: n === 0 ? null : agree / n };
}

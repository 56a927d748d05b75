/**
 * The work on a batch of tasks, in the caller's transaction: language and sentiment of each input, every offline
 * definition's detection (one row per task × definition × version, present or not), and the jobs for the LLM
 * detectors, the judge and the webhooks. Everything is keyed by what it computes, so running a batch twice
 * (a worker killed after its commit but before its job was marked) changes nothing.
 */
import type { Transaction } from "kysely";
import type { NewJob } from "../jobs/index.js";
import type { Database } from "../store/schema.js";
import { compileOffline, scopeText, type OfflineDetector } from "./detectors/index.js";
import { detectLanguage } from "./language.js";
import { scoreSentiment } from "./sentiment.js";
import { needsModel, type DefinitionRow, type Finding } from "./types.js";

export const TASK_COLUMNS = [
  "project_id",
  "id",
  "session_id",
  "input",
  "output",
  "system_prompt",
  "created_at",
  "updated_at",
] as const;

export interface AnalyzedTask {
  project_id: string;
  id: string;
  session_id: string | null;
  input: string;
  output: string | null;
  system_prompt: string | null;
}

export interface AnalyzeOptions {
  /** Language and sentiment too (new tasks); a back-fill of definitions leaves them. */
  languageAndSentiment: boolean;
  /** LLM detectors run only with a model endpoint; without one they are paused and nothing is queued. */
  hasEndpoint: boolean;
  /** Share of tasks the LLM judge sees; 0 when off. */
  judgeSampleRate: number;
  now: number;
}

/** Session-scope detections are stored on this pseudo task id, one per session × definition × version. */
export function sessionTaskId(sessionId: string): string {
  return `session:${sessionId}`;
}

const compiled = new Map<string, OfflineDetector | null>();

/** Offline matcher of a definition version, compiled once per process. */
export function offlineDetector(definition: DefinitionRow): OfflineDetector | null {
  const key = `${definition.project_id}\u0000${definition.id}\u0000${definition.version}`;
  if (!compiled.has(key)) {
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, compileOffline(definition));
  }
  return compiled.get(key) ?? null;
}

/** Deterministic sampling: the same task is in or out of the sample on every replica and every run. */
export function inSample(taskId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  let hash = 2_166_136_261;
  for (let i = 0; i < taskId.length; i += 1) hash = Math.imul(hash ^ taskId.charCodeAt(i), 16_777_619);
  return (hash >>> 0) / 4_294_967_296 < rate;
}

interface DetectionValues {
  project_id: string;
  task_id: string;
  definition_id: string;
  definition_version: number;
  session_id: string | null;
  present: number;
  label: string | null;
  score: number | null;
  confidence: number;
  review: null;
  corrected_label: null;
  corrected_score: null;
  reviewed_at: null;
  created_at: number;
}

export function detectionValues(
  definition: DefinitionRow,
  taskId: string,
  sessionId: string | null,
  finding: Finding | null,
  now: number,
): DetectionValues {
  return {
    project_id: definition.project_id,
    task_id: taskId,
    definition_id: definition.id,
    definition_version: definition.version,
    session_id: sessionId,
    present: finding?.present ? 1 : 0,
    label: finding?.label ?? null,
    score: finding?.score ?? null,
    confidence: finding?.confidence ?? 1,
    review: null,
    corrected_label: null,
    corrected_score: null,
    reviewed_at: null,
    created_at: now,
  };
}

/** Writes detections; a reviewed one is never overwritten (the team's word stands). */
export async function writeDetections(trx: Transaction<Database>, rows: DetectionValues[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    await trx
      .insertInto("detections")
      .values(rows.slice(i, i + 400))
      .onConflict((conflict) =>
        conflict
          .columns(["project_id", "task_id", "definition_id", "definition_version"])
          .doUpdateSet((eb) => ({
            session_id: eb.ref("excluded.session_id"),
            present: eb.ref("excluded.present"),
            label: eb.ref("excluded.label"),
            score: eb.ref("excluded.score"),
            confidence: eb.ref("excluded.confidence"),
          }))
          .where("detections.review", "is", null),
      )
      .execute();
  }
}

export function webhookJob(definition: DefinitionRow, taskId: string): NewJob | null {
  if (!definition.webhook_url) return null;
  return {
    projectId: definition.project_id,
    kind: "webhook",
    uniqueKey: `hook:${taskId}:${definition.id}:${definition.version}`,
    payload: { taskId, definitionId: definition.id, version: definition.version },
  };
}

/** CPU time (ms) the offline analysis may take before it lets the event loop answer other requests. */
const SLICE_MS = 10;

/** Resolves at once while the current slice has time left, else after the event loop has had a turn. */
function cooperative(): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
}

/**
 * Analyses `tasks` (all of one project) against `definitions`; returns the jobs to queue with the commit. The
 * offline work (language, sentiment, keywords, regexes) runs on the collector's thread, so it yields every few
 * milliseconds: a batch of long inputs must never hold up health checks or ingest replies.
 */
export async function analyzeTasks(
  trx: Transaction<Database>,
  tasks: AnalyzedTask[],
  definitions: DefinitionRow[],
  options: AnalyzeOptions,
): Promise<NewJob[]> {
  const jobs: NewJob[] = [];
  if (tasks.length === 0) return jobs;
  const { now } = options;
  const pause = cooperative();

  if (options.languageAndSentiment) {
    const rows = [];
    for (const task of tasks) {
      await pause();
      const sentiment = scoreSentiment(task.input);
      rows.push({
        project_id: task.project_id,
        task_id: task.id,
        session_id: task.session_id,
        language: detectLanguage(task.input),
        sentiment_score: sentiment.score,
        sentiment_label: sentiment.label,
        analyzed_at: now,
      });
    }
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto("task_analytics")
        .values(rows.slice(i, i + 500))
        .onConflict((conflict) =>
          conflict.columns(["project_id", "task_id"]).doUpdateSet((eb) => ({
            session_id: eb.ref("excluded.session_id"),
            language: eb.ref("excluded.language"),
            sentiment_score: eb.ref("excluded.sentiment_score"),
            sentiment_label: eb.ref("excluded.sentiment_label"),
            analyzed_at: eb.ref("excluded.analyzed_at"),
          })),
        )
        .execute();
    }
  }

  const detections: DetectionValues[] = [];
  const taskScoped = definitions.filter((definition) => definition.scope !== "session");
  for (const definition of taskScoped) {
    if (needsModel(definition.detector)) {
      if (!options.hasEndpoint) continue;
      for (const task of tasks) {
        jobs.push({
          projectId: task.project_id,
          kind: "llm_detect",
          uniqueKey: `llm:${task.id}:${definition.id}:${definition.version}`,
          payload: { taskId: task.id, definitionId: definition.id, version: definition.version },
        });
      }
      continue;
    }
    const detect = offlineDetector(definition);
    if (!detect) continue;
    for (const task of tasks) {
      await pause();
      const finding = detect(scopeText(definition.scope, task));
      detections.push(detectionValues(definition, task.id, task.session_id, finding, now));
      if (finding?.present) {
        const hook = webhookJob(definition, task.id);
        if (hook) jobs.push(hook);
      }
    }
  }

  const sessionScoped = definitions.filter((definition) => definition.scope === "session");
  const sessionIds = [
    ...new Set(tasks.map((task) => task.session_id).filter((id): id is string => id !== null)),
  ];
  if (sessionScoped.length > 0 && sessionIds.length > 0) {
    const projectId = tasks[0]!.project_id;
    const sessionTasks = await trx
      .selectFrom("tasks")
      .select(["session_id", "id", "input", "output"])
      .where("project_id", "=", projectId)
      .where("session_id", "in", sessionIds)
      .orderBy("session_id")
      .orderBy("task_position")
      .orderBy("created_at")
      .execute();
    const texts = new Map<string, { text: string; last: string }>();
    for (const row of sessionTasks) {
      const entry = texts.get(row.session_id!) ?? { text: "", last: row.id };
      entry.text += `User: ${row.input}\nAssistant: ${row.output ?? ""}\n`;
      entry.last = row.id;
      texts.set(row.session_id!, entry);
    }
    for (const definition of sessionScoped) {
      for (const [sessionId, { text, last }] of texts) {
        if (needsModel(definition.detector)) {
          if (!options.hasEndpoint) continue;
          jobs.push({
            projectId,
            kind: "llm_detect",
            // One judgement per state of the session: a new last task asks again.
            uniqueKey: `llm:${sessionTaskId(sessionId)}:${last}:${definition.id}:${definition.version}`,
            payload: { sessionId, definitionId: definition.id, version: definition.version },
          });
          continue;
        }
        const finding = offlineDetector(definition)?.(text) ?? null;
        detections.push(detectionValues(definition, sessionTaskId(sessionId), sessionId, finding, now));
        // Once per session and version: the first time the session shows the event.
        const hook = finding?.present ? webhookJob(definition, sessionTaskId(sessionId)) : null;
        if (hook) jobs.push(hook);
      }
    }
  }
  await writeDetections(trx, detections);

  if (options.judgeSampleRate > 0) {
    for (const task of tasks) {
      if (task.output === null || !inSample(task.id, options.judgeSampleRate)) continue;
      jobs.push({
        projectId: task.project_id,
        kind: "judge",
        uniqueKey: `judge:${task.id}`,
        payload: { taskId: task.id },
      });
    }
  }
  return jobs;
}

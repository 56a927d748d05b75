/**
 * Reviews of detections and what they say about each detector: confirm (right), remove (a detection that should
 * not be there), correct (the right label or score; for a yes/no detector, the other answer). A reviewed
 * detection is never overwritten by a detector run. Metrics per definition (its current version) come from the
 * reviews: precision, recall and F1 for yes/no and categories, mean squared error for scorers.
 */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { DefinitionRow, DetectionRow } from "./types.js";

export type ReviewAction = "confirm" | "remove" | "correct";

export class ReviewError extends Error {
  override readonly name = "ReviewError";
}

export async function reviewDetection(
  db: Kysely<Database>,
  definition: DefinitionRow,
  taskId: string,
  action: ReviewAction,
  correction: { label?: string | undefined; score?: number | undefined },
  now = Date.now(),
): Promise<DetectionRow | null> {
  const where = db
    .selectFrom("detections")
    .selectAll()
    .where("project_id", "=", definition.project_id)
    .where("task_id", "=", taskId)
    .where("definition_id", "=", definition.id)
    .orderBy("definition_version", "desc");
  const current = await where.executeTakeFirst();
  if (!current) return null;
  if (action === "correct") {
    if (definition.detector === "llm_scorer" && correction.score === undefined) {
      throw new ReviewError("score: a scorer's correction needs a score from 1 to 5");
    }
    if (definition.detector === "llm_classifier" && correction.label === undefined) {
      throw new ReviewError("label: a classifier's correction needs a category (or none)");
    }
  }
  if (action === "remove" && current.present !== 1) {
    throw new ReviewError(
      "action: remove applies to a detection that is present; use correct to mark a miss",
    );
  }
  await db
    .updateTable("detections")
    .set({
      review: action === "confirm" ? "confirmed" : action === "remove" ? "removed" : "corrected",
      corrected_label: action === "correct" ? (correction.label ?? null) : null,
      corrected_score: action === "correct" ? (correction.score ?? null) : null,
      reviewed_at: now,
    })
    .where("project_id", "=", current.project_id)
    .where("task_id", "=", current.task_id)
    .where("definition_id", "=", current.definition_id)
    .where("definition_version", "=", current.definition_version)
    .execute();
  return (await where.executeTakeFirst()) ?? null;
}

export interface DefinitionMetrics {
  event_id: string;
  version: number;
  detections: number;
  detected: number;
  corrections: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  mse: number | null;
}

function ratio(top: number, bottom: number): number | null {
  return bottom === 0 ? null : top / bottom;
}

/** A detection as stored (`present` 0/1) or as the API shows it (a boolean), with its review. */
export interface ReviewedDetection {
  present: number | boolean;
  label: string | null;
  score: number | null;
  review: string | null;
  corrected_label: string | null;
  corrected_score: number | null;
}

/**
 * Is the event there, and with which label or score: the team's review when there is one, else the detector's
 * answer. Metrics compare the two; exports show this.
 */
export function truth(row: ReviewedDetection): {
  present: boolean;
  label: string | null;
  score: number | null;
} {
  const present = row.present === 1 || row.present === true;
  if (row.review === null || row.review === "confirmed")
    return { present, label: row.label, score: row.score };
  if (row.review === "removed") return { present: false, label: null, score: null };
  // corrected: a label (or none) or a score; for yes/no, the other answer.
  if (row.corrected_score !== null) return { present: true, label: null, score: row.corrected_score };
  if (row.corrected_label !== null) {
    const none = row.corrected_label.toLowerCase() === "none";
    return { present: !none, label: none ? null : row.corrected_label, score: null };
  }
  return { present: !present, label: null, score: null };
}

/** Metrics from the reviewed detections of a definition version, and its counts of detections. */
export function metricsOf(
  definition: DefinitionRow,
  reviewed: DetectionRow[],
  counts: { detections: number; detected: number },
): DefinitionMetrics {
  const base = {
    event_id: definition.id,
    version: definition.version,
    ...counts,
    corrections: reviewed.length,
  };
  if (definition.detector === "llm_scorer") {
    const errors = reviewed
      .map((row) => ({ predicted: row.score, actual: truth(row).score }))
      .filter(
        (pair): pair is { predicted: number; actual: number } =>
          pair.predicted !== null && pair.actual !== null,
      )
      .map(({ predicted, actual }) => (predicted - actual) ** 2);
    const mse = errors.length === 0 ? null : errors.reduce((sum, e) => sum + e, 0) / errors.length;
    return { ...base, precision: null, recall: null, f1: null, mse };
  }
  let truePositives = 0;
  let predicted = 0;
  let actual = 0;
  for (const row of reviewed) {
    const real = truth(row);
    const said = row.present === 1;
    if (said) predicted += 1;
    if (real.present) actual += 1;
    const sameLabel = definition.detector !== "llm_classifier" || real.label === row.label;
    if (said && real.present && sameLabel) truePositives += 1;
  }
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, actual);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? null
      : (2 * precision * recall) / (precision + recall);
  return { ...base, precision, recall, f1, mse: null };
}

export async function definitionMetrics(
  db: Kysely<Database>,
  definitions: DefinitionRow[],
): Promise<DefinitionMetrics[]> {
  const out: DefinitionMetrics[] = [];
  for (const definition of definitions) {
    const version = db
      .selectFrom("detections")
      .where("project_id", "=", definition.project_id)
      .where("definition_id", "=", definition.id)
      .where("definition_version", "=", definition.version);
    const reviewed = await version.selectAll().where("review", "is not", null).execute();
    const counts = await version
      .select([(eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("present").as("detected")])
      .executeTakeFirst();
    out.push(
      metricsOf(definition, reviewed, {
        detections: Number(counts?.n ?? 0),
        detected: Number(counts?.detected ?? 0),
      }),
    );
  }
  return out;
}

/** Applying one feedback (flag, human eval, notes) to a task row: a pure function of the row and the eval. */
import type { EvalRow, TaskRow } from "./types.js";

export type EvalFields = Pick<EvalRow, "kind" | "value" | "source" | "notes" | "created_at"> & {
  keyless?: number | undefined;
};

/** The source every key-less feedback is recorded with. */
export const KEYLESS_SOURCE = "user";

/**
 * Key-less feedback (anyone who knows the project id) never overwrites: it sets the task's flag only where no one
 * with a key has set one, its notes only where there are none yet, and never the human evaluation. Everything it
 * sends stays in the history (`evals`).
 */
function applyKeyless(task: TaskRow, evaluation: EvalFields): TaskRow {
  const next: TaskRow = { ...task };
  const ownerFlag = task.flag !== null && task.flag_source !== KEYLESS_SOURCE;
  if (evaluation.value !== null && evaluation.kind !== "notes" && !ownerFlag) {
    next.flag = evaluation.value;
    next.flag_source = KEYLESS_SOURCE;
  }
  if (task.notes === null && evaluation.notes !== null) next.notes = evaluation.notes;
  return next;
}

export function applyEval(task: TaskRow, evaluation: EvalFields): TaskRow {
  if (evaluation.keyless === 1) return applyKeyless(task, evaluation);
  const next: TaskRow = { ...task };
  if (evaluation.kind === "flag" && evaluation.value !== null) {
    next.flag = evaluation.value;
    next.flag_source = evaluation.source;
  }
  // The owner took the flag back (a dashboard click on the active thumb): the task is unflagged again.
  if (evaluation.kind === "flag_removed") {
    next.flag = null;
    next.flag_source = null;
  }
  if (evaluation.kind === "human_eval" && evaluation.value !== null) {
    next.human_eval = evaluation.value;
    next.human_eval_at = evaluation.created_at;
    next.flag = evaluation.value;
    next.flag_source = evaluation.source ?? "owner";
  }
  // Feedback without notes keeps the earlier notes.
  if (evaluation.notes !== null) next.notes = evaluation.notes;
  next.last_eval = JSON.stringify({
    kind: evaluation.kind,
    value: evaluation.value,
    source: evaluation.source,
    notes: evaluation.notes,
    created_at: evaluation.created_at,
  });
  return next;
}

/** The columns that differ between two versions of a row, for a minimal UPDATE. */
export function changedColumns(before: TaskRow, after: TaskRow): Partial<TaskRow> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof TaskRow>) {
    if (key === "updated_at") continue;
    if (before[key] !== after[key]) changes[key] = after[key];
  }
  return changes as Partial<TaskRow>;
}

/** Applying one feedback (flag, human eval, notes) to a task row: a pure function of the row and the eval. */
import type { EvalRow, TaskRow } from "./types.js";

export type EvalFields = Pick<EvalRow, "kind" | "value" | "source" | "notes" | "created_at">;

export function applyEval(task: TaskRow, evaluation: EvalFields): TaskRow {
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

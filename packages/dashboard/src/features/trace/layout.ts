/** Steps as waterfall rows: depth-first from the roots (children in time order), on one shared time axis. */
import type { TaskStep } from "../../api/types";

export interface Row {
  step: TaskStep;
  depth: number;
  /** Offset and width on the axis, as fractions of the trace's duration (0..1). */
  left: number;
  width: number;
}

export interface Waterfall {
  rows: Row[];
  start: number;
  duration: number;
}

export function waterfall(steps: TaskStep[]): Waterfall {
  const ids = new Set(steps.map((step) => step.id));
  const children = new Map<string | null, TaskStep[]>();
  for (const step of steps) {
    const parent = step.parent_id !== null && ids.has(step.parent_id) ? step.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), step]);
  }
  const start = Math.min(...steps.map((step) => step.started_at));
  const end = Math.max(...steps.map((step) => step.ended_at ?? step.started_at));
  const duration = Math.max(end - start, 1);
  const rows: Row[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.started_at - b.started_at);
    for (const step of list) {
      if (seen.has(step.id)) continue;
      seen.add(step.id);
      const stepEnd = step.ended_at ?? step.started_at;
      rows.push({
        step,
        depth,
        left: (step.started_at - start) / duration,
        width: Math.max((stepEnd - step.started_at) / duration, 0.002),
      });
      visit(step.id, depth + 1);
    }
  };
  visit(null, 0);
  return { rows, start, duration };
}

/** The number of steps of a task, for the tasks table; nothing for a flat task. */
export function StepCount({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <span className="step-count muted small" title={`${count} steps (spans)`}>
      {count} {count === 1 ? "step" : "steps"}
    </span>
  );
}

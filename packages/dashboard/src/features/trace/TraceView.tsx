/**
 * A task's steps as a waterfall: one row per step, nested under its parent, with a bar on the trace's time axis,
 * its kind, model, tokens and status. Clicking a row shows that step's input, output and attributes.
 */
import { useState } from "react";
import type { TaskStep } from "../../api/types";
import { formatCount, formatDuration } from "../../lib/format";
import { waterfall } from "./layout";
import { StepDetail } from "./StepDetail";
import "./trace.css";

export function TraceView({ steps }: { steps: TaskStep[] }) {
  const [selected, setSelected] = useState<string | null>(null);
  if (steps.length === 0) return null;
  const { rows, duration } = waterfall(steps);
  const chosen = steps.find((step) => step.id === selected) ?? null;
  return (
    <div className="trace-view">
      <div className="trace-axis" aria-hidden="true">
        <span />
        <span />
        <span className="trace-ticks">
          <span>0</span>
          <span>{formatDuration(duration / 2)}</span>
          <span>{formatDuration(duration)}</span>
        </span>
        <span />
      </div>
      <ol className="trace-rows">
        {rows.map(({ step, depth, left, width }) => (
          <li key={step.id}>
            <button
              type="button"
              className={`trace-row${step.id === selected ? " selected" : ""}${step.status === "error" ? " failed" : ""}`}
              data-step-id={step.id}
              aria-pressed={step.id === selected}
              onClick={() => setSelected(step.id === selected ? null : step.id)}
            >
              <span className="trace-label" style={{ paddingLeft: `${depth * 14}px` }}>
                <span className={`step-kind kind-${step.kind}`}>{step.kind}</span>
                <span className="trace-name">{step.name || "(unnamed)"}</span>
              </span>
              <span className="trace-meta muted small">
                {step.model ?? ""}
                {step.total_tokens !== null ? ` · ${formatCount(step.total_tokens)} tok` : ""}
                {step.status === "error" ? " · error" : ""}
              </span>
              <span className="trace-track">
                <span
                  className={`trace-bar kind-${step.kind}`}
                  style={{ left: `${left * 100}%`, width: `${width * 100}%` }}
                />
              </span>
              <span className="trace-duration small">
                {formatDuration(step.ended_at === null ? null : step.ended_at - step.started_at)}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {chosen && <StepDetail step={chosen} />}
    </div>
  );
}

/** One step's input, output, error and attributes, as text. */
import { JsonBlock } from "../../components/JsonBlock";
import type { TaskStep } from "../../api/types";
import { formatCount, formatDuration } from "../../lib/format";

export function StepDetail({ step }: { step: TaskStep }) {
  const duration = step.ended_at === null ? null : step.ended_at - step.started_at;
  return (
    <div className="step-detail" data-step-id={step.id}>
      <h3>
        {step.name || "(unnamed step)"} <span className={`step-kind kind-${step.kind}`}>{step.kind}</span>
      </h3>
      <dl className="facts">
        <dt>Duration</dt>
        <dd>{formatDuration(duration)}</dd>
        <dt>Status</dt>
        <dd className={step.status === "error" ? "error" : undefined}>{step.status}</dd>
        {step.error && (
          <>
            <dt>Error</dt>
            <dd className="error">{step.error}</dd>
          </>
        )}
        {step.model && (
          <>
            <dt>Model</dt>
            <dd>{step.model}</dd>
          </>
        )}
        {step.total_tokens !== null && (
          <>
            <dt>Tokens</dt>
            <dd>
              {formatCount(step.prompt_tokens)} in · {formatCount(step.completion_tokens)} out
              {step.cache_read_tokens ? ` · ${formatCount(step.cache_read_tokens)} cached` : ""}
              {step.reasoning_tokens ? ` · ${formatCount(step.reasoning_tokens)} reasoning` : ""}
            </dd>
          </>
        )}
        {step.ttft_ms !== null && (
          <>
            <dt>Time to first token</dt>
            <dd>{formatDuration(step.ttft_ms)}</dd>
          </>
        )}
      </dl>
      <JsonBlock title="Input" value={step.input} open />
      <JsonBlock title="Output" value={step.output} open />
      <JsonBlock title="Attributes" value={step.attributes} />
    </div>
  );
}

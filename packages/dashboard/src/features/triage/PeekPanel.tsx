/** A side panel with the selected task: its input and output, flag, ids and a link to the full page. */
import { projectPath } from "../../api/client";
import type { TaskDetail } from "../../api/types";
import { Collapsible } from "../../components/Collapsible";
import { CopyButton } from "../../components/CopyButton";
import { Markdown } from "../../components/Markdown";
import { formatCost, formatCount, formatDuration, formatTime } from "../../lib/format";
import { Link } from "../../lib/router";
import { useApi } from "../../lib/useApi";

export function PeekPanel(props: {
  projectId: string;
  taskId: string;
  onClose: () => void;
  version: number;
}) {
  const { projectId, taskId } = props;
  const { data, error } = useApi<TaskDetail>(
    projectPath(projectId, `/tasks/${encodeURIComponent(taskId)}?v=${props.version}`),
  );
  const href = `/projects/${encodeURIComponent(projectId)}/tasks/${encodeURIComponent(taskId)}`;
  const task = data?.task.id === taskId ? data.task : undefined;
  return (
    <aside className="peek card" aria-label="Task preview" data-task-id={taskId} data-loaded={Boolean(task)}>
      <div className="peek-head">
        <Link to={href}>Open task</Link>
        <span className="mono small muted">{taskId}</span>
        <CopyButton text={taskId} label="Copy id" />
        <div className="spacer" />
        <button type="button" className="ghost" onClick={props.onClose} aria-label="Close the preview">
          Close
        </button>
      </div>
      {error && <p className="error">{error.detail}</p>}
      {!task && !error && <p className="muted">Loading…</p>}
      {task && (
        <>
          <p className="small muted">
            {formatTime(task.created_at)} · {task.model ?? "no model"} · {formatCount(task.total_tokens)}{" "}
            tokens · {formatDuration(task.latency_ms)}
            {"cost_usd" in task ? ` · ${formatCost((task as { cost_usd?: number | null }).cost_usd)}` : ""}
            {task.flag ? ` · flagged ${task.flag}` : ""}
          </p>
          <h3>Input</h3>
          <div className="markdown peek-text">
            <Collapsible maxHeight={200}>
              <Markdown text={task.input} />
            </Collapsible>
          </div>
          <h3>Output</h3>
          <div className="markdown peek-text peek-output">
            {task.output === null ? (
              <em className="muted">no output</em>
            ) : (
              <Collapsible maxHeight={360}>
                <Markdown text={task.output} />
              </Collapsible>
            )}
          </div>
        </>
      )}
    </aside>
  );
}

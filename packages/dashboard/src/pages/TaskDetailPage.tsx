/** One task: chat bubbles, raw JSON, metadata, usage and timing, feedback history, notes, links. */
import { useState } from "react";
import { projectPath } from "../api/client";
import type { TaskDetail } from "../api/types";
import { FeedbackHistory } from "../components/FeedbackHistory";
import { FlagButtons } from "../components/FlagButtons";
import { CopyButton } from "../components/CopyButton";
import { JsonBlock } from "../components/JsonBlock";
import { NotesEditor } from "../components/NotesEditor";
import { formatCount, formatDuration, formatTime } from "../lib/format";
import { cameFromApp, Link, navigate } from "../lib/router";
import { useApi } from "../lib/useApi";
import { Conversation } from "../features/conversation";
import { TraceView } from "../features/trace";
import { useTitle } from "../lib/useTitle";
import { TaskReview } from "../features/analytics";

function metaText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function TaskDetailPage({ projectId, params }: { projectId: string; params: Record<string, string> }) {
  const taskId = params.taskId ?? "";
  const loaded = useApi<TaskDetail>(projectPath(projectId, `/tasks/${encodeURIComponent(taskId)}`));
  const [updated, setUpdated] = useState<TaskDetail | null>(null);
  const detail = updated?.task.id === taskId ? updated : loaded.data;
  const base = `/projects/${encodeURIComponent(projectId)}`;
  useTitle(`Task ${taskId}`);

  if (loaded.error) return <p className="error page-message">{loaded.error.detail}</p>;
  if (!detail) return <p className="page-message">Loading…</p>;
  const { task, feedback } = detail;
  const userMetadata = detail.user_metadata ?? task.metadata;

  return (
    <div className="page task-detail">
      <div className="page-head">
        <div>
          <button type="button" className="link-button muted small" onClick={() => backToList(base)}>
            ← Tasks
          </button>
          <h1>Task</h1>
          <div className="muted mono small task-id">
            {task.id} <CopyButton text={task.id} label="Copy id" />
          </div>
        </div>
        <div className="actions">
          <FlagButtons
            projectId={projectId}
            taskId={task.id}
            flag={task.flag}
            onChange={setUpdated}
            labelled
          />
        </div>
      </div>

      <div className="detail-grid">
        <section className="card conversation">
          <Conversation task={task} />
          <JsonBlock
            title={`Raw input${task.raw_input_type_name ? ` (${task.raw_input_type_name})` : ""}`}
            value={task.raw_input}
          />
          <JsonBlock
            title={`Raw output${task.raw_output_type_name ? ` (${task.raw_output_type_name})` : ""}`}
            value={task.raw_output}
          />
        </section>

        <aside className="side">
          <TaskReview projectId={projectId} taskId={task.id} />
          <section className="card">
            <h2>Details</h2>
            <dl className="facts">
              <dt>Time</dt>
              <dd>{formatTime(task.created_at)}</dd>
              <dt>Session</dt>
              <dd>
                {task.session_id ? (
                  <Link to={`${base}/sessions/${encodeURIComponent(task.session_id)}`}>
                    {task.session_id}
                  </Link>
                ) : (
                  "–"
                )}
              </dd>
              <dt>User</dt>
              <dd>
                {task.user_id ? (
                  <Link to={`${base}/users/${encodeURIComponent(task.user_id)}`}>{task.user_id}</Link>
                ) : (
                  "–"
                )}
              </dd>
              <dt>Model</dt>
              <dd>{task.model ?? "–"}</dd>
              <dt>Version</dt>
              <dd>{task.version_id ?? "–"}</dd>
              <dt>Environment</dt>
              <dd>{task.environment}</dd>
              <dt>Status</dt>
              <dd>{task.status ?? "–"}</dd>
              <dt>Flag</dt>
              <dd>
                {task.flag ?? "–"}
                {task.flag_source ? ` (${task.flag_source})` : ""}
              </dd>
            </dl>
          </section>
          <section className="card">
            <h2>Usage and timing</h2>
            <dl className="facts">
              <dt>Prompt tokens</dt>
              <dd>{formatCount(task.prompt_tokens)}</dd>
              <dt>Completion tokens</dt>
              <dd>{formatCount(task.completion_tokens)}</dd>
              <dt>Total tokens</dt>
              <dd>{formatCount(task.total_tokens)}</dd>
              <dt>Latency</dt>
              <dd>{formatDuration(task.latency_ms)}</dd>
              <dt>Time to first token</dt>
              <dd>{formatDuration(task.ttft_ms)}</dd>
            </dl>
          </section>
          <section className="card">
            <h2>Notes</h2>
            <NotesEditor
              key={task.id}
              projectId={projectId}
              taskId={task.id}
              notes={task.notes}
              onSaved={setUpdated}
            />
          </section>
        </aside>
      </div>

      {detail.steps.length > 0 && (
        <section className="card trace">
          <h2>Trace ({detail.steps.length} steps)</h2>
          <TraceView steps={detail.steps} />
        </section>
      )}

      <section className="card">
        <h2>Feedback history</h2>
        <FeedbackHistory entries={feedback} />
      </section>

      <section className="card">
        <h2>Metadata</h2>
        {Object.keys(userMetadata).length === 0 ? (
          <p className="muted">No metadata of your own.</p>
        ) : (
          <table className="data compact metadata">
            <tbody>
              {Object.entries(userMetadata).map(([key, value]) => (
                <tr key={key}>
                  <th className="mono">{key}</th>
                  <td className="mono text-cell">{metaText(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {detail.derived_metadata && Object.keys(detail.derived_metadata).length > 0 && (
          <JsonBlock
            title="Fields phospho read from this task (shown above as details)"
            value={detail.derived_metadata}
          />
        )}
      </section>
    </div>
  );
}

/** Back to the list the reader came from (its place kept), or the tasks list when opened directly. */
function backToList(base: string) {
  if (cameFromApp()) window.history.back();
  else navigate(`${base}/tasks`);
}

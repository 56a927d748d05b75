/** One task: chat bubbles, raw JSON, metadata, usage and timing, feedback history, notes, links. */
import { useState } from "react";
import { projectPath } from "../api/client";
import type { TaskDetail } from "../api/types";
import { ChatBubble } from "../components/ChatBubble";
import { FeedbackHistory } from "../components/FeedbackHistory";
import { FlagButtons } from "../components/FlagButtons";
import { JsonBlock } from "../components/JsonBlock";
import { NotesEditor } from "../components/NotesEditor";
import { formatCount, formatDuration, formatTime } from "../lib/format";
import { Link } from "../lib/router";
import { useApi } from "../lib/useApi";
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

  if (loaded.error) return <p className="error page-message">{loaded.error.detail}</p>;
  if (!detail) return <p className="page-message">Loading…</p>;
  const { task, feedback } = detail;

  return (
    <div className="page task-detail">
      <div className="page-head">
        <div>
          <Link to={`${base}/tasks`} className="muted small">
            ← Tasks
          </Link>
          <h1>Task</h1>
          <div className="muted mono small">{task.id}</div>
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
          {task.system_prompt && <ChatBubble role="system" text={task.system_prompt} />}
          <ChatBubble role="user" text={task.input} />
          <ChatBubble role="assistant" text={task.output} />
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

      <section className="card">
        <h2>Feedback history</h2>
        <FeedbackHistory entries={feedback} />
      </section>

      <section className="card">
        <h2>Metadata</h2>
        {Object.keys(task.metadata).length === 0 ? (
          <p className="muted">No metadata.</p>
        ) : (
          <table className="data compact metadata">
            <tbody>
              {Object.entries(task.metadata).map(([key, value]) => (
                <tr key={key}>
                  <th className="mono">{key}</th>
                  <td className="mono text-cell">{metaText(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** One session: the transcript in order, each task's feedback beside it. */
import { projectPath } from "../api/client";
import type { SessionDetail } from "../api/types";
import { ChatBubble } from "../components/ChatBubble";
import { CopyButton } from "../components/CopyButton";
import { FlagButtons } from "../components/FlagButtons";
import { Stat } from "../components/Stat";
import { SessionAnalytics } from "../features/analytics";
import { FeedbackCounts } from "../components/Thumb";
import { formatCount, formatDuration, formatShortTime, formatTime } from "../lib/format";
import { Link } from "../lib/router";
import { useApi } from "../lib/useApi";
import { useTitle } from "../lib/useTitle";

export function SessionDetailPage({
  projectId,
  params,
}: {
  projectId: string;
  params: Record<string, string>;
}) {
  const sessionId = params.sessionId ?? "";
  useTitle(`Session ${sessionId}`);
  const { data, error } = useApi<SessionDetail>(
    projectPath(projectId, `/sessions/${encodeURIComponent(sessionId)}`),
  );
  const base = `/projects/${encodeURIComponent(projectId)}`;
  if (error) return <p className="error page-message">{error.detail}</p>;
  if (!data) return <p className="page-message">Loading…</p>;
  const { session, tasks } = data;

  return (
    <div className="page session-detail">
      <div className="page-head">
        <div>
          <Link to={`${base}/sessions`} className="muted small">
            ← Sessions
          </Link>
          <h1>Session</h1>
          <div className="muted mono small">
            {session.id} <CopyButton text={session.id} label="Copy id" />
          </div>
        </div>
        {session.user_id && (
          <Link className="button secondary" to={`${base}/users/${encodeURIComponent(session.user_id)}`}>
            User {session.user_id}
          </Link>
        )}
      </div>
      <div className="stats">
        <Stat label="Tasks" value={String(session.session_length)} />
        <Stat label="Started" value={formatShortTime(session.created_at)} />
        <Stat label="Last activity" value={formatShortTime(session.last_message_ts)} />
        <Stat
          label="Feedback"
          value={<FeedbackCounts success={session.success_count} failure={session.failure_count} />}
        />
        <Stat label="Tokens" value={formatCount(session.total_tokens)} />
      </div>
      <SessionAnalytics projectId={projectId} sessionId={session.id} />
      <section className="transcript">
        {tasks.map((task, i) => (
          <article key={task.id} className="card turn" data-task-id={task.id}>
            <header className="turn-head">
              <span className="muted small">
                #{i + 1} · {formatTime(task.created_at)} · {task.model ?? "no model"} ·{" "}
                {formatDuration(task.latency_ms)}
              </span>
              <span className="spacer" />
              <FlagButtons projectId={projectId} taskId={task.id} flag={task.flag} />
              <Link to={`${base}/tasks/${encodeURIComponent(task.id)}`} className="small">
                Open task
              </Link>
            </header>
            <ChatBubble role="user" text={task.input} />
            <ChatBubble role="assistant" text={task.output} />
            {task.feedback.length > 0 && (
              <ul className="turn-feedback small">
                {task.feedback.map((f) => (
                  <li key={f.id}>
                    {f.kind === "notes" ? "notes" : f.value === "success" ? "success" : "failure"} by{" "}
                    {f.source ?? "unknown"} at {formatTime(f.created_at)}
                    {f.notes ? ` — ${f.notes}` : ""}
                  </li>
                ))}
              </ul>
            )}
          </article>
        ))}
      </section>
    </div>
  );
}

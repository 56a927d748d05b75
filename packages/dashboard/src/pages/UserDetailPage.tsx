/** One user: their numbers, their sessions and their latest tasks. */
import { projectPath } from "../api/client";
import type { Session, TaskPage, UserSummary } from "../api/types";
import { SessionTable } from "../components/SessionTable";
import { Stat } from "../components/Stat";
import { TaskTable } from "../components/TaskTable";
import { FeedbackCounts } from "../components/Thumb";
import { formatCount, formatRate, formatShortTime } from "../lib/format";
import { Link } from "../lib/router";
import { useApi } from "../lib/useApi";
import { useTitle } from "../lib/useTitle";

export function UserDetailPage({ projectId, params }: { projectId: string; params: Record<string, string> }) {
  const userId = params.userId ?? "";
  useTitle(`User ${userId}`);
  const user = useApi<{ user: UserSummary; sessions: Session[] }>(
    projectPath(projectId, `/users/${encodeURIComponent(userId)}`),
  );
  const tasks = useApi<TaskPage>(
    projectPath(projectId, `/tasks?user_id=${encodeURIComponent(userId)}&limit=50`),
  );
  const base = `/projects/${encodeURIComponent(projectId)}`;
  if (user.error) return <p className="error page-message">{user.error.detail}</p>;
  if (!user.data) return <p className="page-message">Loading…</p>;
  const u = user.data.user;

  return (
    <div className="page user-detail">
      <div className="page-head">
        <div>
          <Link to={`${base}/users`} className="muted small">
            ← Users
          </Link>
          <h1>User {u.user_id}</h1>
        </div>
        <Link className="button secondary" to={`${base}/tasks?user_id=${encodeURIComponent(u.user_id)}`}>
          All their tasks
        </Link>
      </div>
      <div className="stats">
        <Stat label="Tasks" value={formatCount(u.tasks)} />
        <Stat label="Sessions" value={formatCount(u.sessions)} />
        <Stat
          label="Success rate"
          value={formatRate(u.success_rate)}
          hint={<FeedbackCounts success={u.success} failure={u.failure} />}
        />
        <Stat label="Tokens" value={formatCount(u.tokens)} />
        <Stat label="First seen" value={formatShortTime(u.first_seen)} />
        <Stat label="Last seen" value={formatShortTime(u.last_seen)} />
      </div>
      <h2>Sessions</h2>
      {user.data.sessions.length === 0 ? (
        <p className="muted">No sessions.</p>
      ) : (
        <SessionTable projectId={projectId} sessions={user.data.sessions} />
      )}
      <h2>Latest tasks</h2>
      {tasks.data && <TaskTable projectId={projectId} tasks={tasks.data.tasks} />}
    </div>
  );
}

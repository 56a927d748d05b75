/** The tasks table: time, input, output (truncated), flag with inline thumbs, session, user, model, tokens, latency. */
import { StepCount } from "./StepCount";
import type { TaskListItem } from "../api/types";
import { EventBadges } from "../features/analytics";
import { formatCount, formatDuration, formatTime, truncate, formatCost } from "../lib/format";
import { Link, navigate } from "../lib/router";
import { FlagButtons } from "./FlagButtons";

export function TaskTable({
  projectId,
  tasks,
  fresh,
}: {
  projectId: string;
  tasks: TaskListItem[];
  fresh?: Set<string>;
}) {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  return (
    <div className="table-wrap">
      <table className="data tasks-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Input</th>
            <th>Output</th>
            <th>Flag</th>
            <th>Session</th>
            <th>User</th>
            <th>Model</th>
            <th className="num">Tokens</th>
            <th className="num">Latency</th>
            <th className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => {
            const href = `${base}/tasks/${encodeURIComponent(t.id)}`;
            return (
              <tr
                key={t.id}
                className={`clickable ${fresh?.has(t.id) ? "fresh" : ""}`}
                data-task-id={t.id}
                onClick={() => navigate(href)}
              >
                <td className="nowrap">
                  <Link to={href} onClick={(e) => e.stopPropagation()}>
                    {formatTime(t.created_at)}
                  </Link>
                </td>
                <td className="text-cell">
                  {truncate(t.input, 140)}
                  {t.analytics && <EventBadges analytics={t.analytics} />}
                </td>
                <td className="text-cell">
                  {t.output === null ? <em className="muted">no output</em> : truncate(t.output, 140)}
                </td>
                <td className="nowrap">
                  <FlagButtons projectId={projectId} taskId={t.id} flag={t.flag} />
                  {t.has_notes && (
                    <span className="badge" title="Has notes">
                      notes
                    </span>
                  )}
                </td>
                <td className="nowrap">
                  {t.session_id ? (
                    <Link
                      to={`${base}/sessions/${encodeURIComponent(t.session_id)}`}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {truncate(t.session_id, 18)}
                    </Link>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td className="nowrap">
                  {t.user_id ? (
                    <Link
                      to={`${base}/users/${encodeURIComponent(t.user_id)}`}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {truncate(t.user_id, 18)}
                    </Link>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td className="nowrap">{t.model ?? <span className="muted">–</span>}</td>
                <td className="num">{formatCount(t.total_tokens)}</td>
                <td className="num">
                  {formatDuration(t.latency_ms)}
                  <StepCount count={t.step_count} />
                </td>
                <td className="num" title={t.cost_source ?? undefined}>
                  {t.cost_usd === null ? <span className="muted">no price</span> : formatCost(t.cost_usd)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

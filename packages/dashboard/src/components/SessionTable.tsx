/** Sessions table: last activity, preview, length, feedback summary, user. */
import type { Session } from "../api/types";
import { formatCount, formatRelative, formatTime, truncate } from "../lib/format";
import { Link, navigate } from "../lib/router";
import { FeedbackCounts } from "./Thumb";

export function SessionTable({ projectId, sessions }: { projectId: string; sessions: Session[] }) {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  return (
    <div className="table-wrap">
      <table className="data sessions-table">
        <thead>
          <tr>
            <th>Last activity</th>
            <th>Preview</th>
            <th className="num">Length</th>
            <th>Feedback</th>
            <th>User</th>
            <th className="num">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const href = `${base}/sessions/${encodeURIComponent(s.id)}`;
            return (
              <tr key={s.id} className="clickable" data-session-id={s.id} onClick={() => navigate(href)}>
                <td className="nowrap" title={formatTime(s.last_message_ts)}>
                  <Link to={href} onClick={(e) => e.stopPropagation()}>
                    {formatRelative(s.last_message_ts)}
                  </Link>
                </td>
                <td className="text-cell">{truncate(s.preview, 120)}</td>
                <td className="num">{s.session_length}</td>
                <td className="nowrap">
                  <FeedbackCounts success={s.success_count} failure={s.failure_count} />
                </td>
                <td className="nowrap">
                  {s.user_id ? (
                    <Link
                      to={`${base}/users/${encodeURIComponent(s.user_id)}`}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {s.user_id}
                    </Link>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td className="num">{formatCount(s.total_tokens)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

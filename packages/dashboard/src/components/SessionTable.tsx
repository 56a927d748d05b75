/**
 * Sessions table: id, user, length, duration, first and last time, feedback, tokens, badges (when the page gives
 * them), preview. Cards on a phone.
 */
import type { ReactNode } from "react";
import type { Session } from "../api/types";
import { formatCost, formatCount, formatDuration, formatTime, plainPreview, truncate } from "../lib/format";
import { Link, navigate } from "../lib/router";
import { FeedbackCounts } from "./Thumb";

export function SessionTable({
  projectId,
  sessions,
  badges,
}: {
  projectId: string;
  sessions: Session[];
  /** The analytics badges of a session (the page composes them in, so that this table needs no feature). */
  badges?: (session: Session) => ReactNode;
}) {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  // Cost appears once pricing fills it (the sessions list's `cost_usd`).
  const costs = sessions.some((s) => "cost_usd" in s);
  return (
    <div className="table-wrap">
      <table className="data sessions-table compact">
        <thead>
          <tr>
            <th>Session</th>
            <th>User</th>
            <th className="num">Tasks</th>
            <th className="num">Duration</th>
            <th>First</th>
            <th>Last</th>
            <th>Feedback</th>
            <th className="num">Tokens</th>
            {costs && <th className="num">Cost</th>}
            {badges && <th>Events</th>}
            <th>Preview</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const href = `${base}/sessions/${encodeURIComponent(s.id)}`;
            return (
              <tr key={s.id} className="clickable" data-session-id={s.id} onClick={() => navigate(href)}>
                <td className="nowrap mono" data-label="Session">
                  <Link to={href} onClick={(e) => e.stopPropagation()} title={s.id}>
                    {truncate(s.id, 24)}
                  </Link>
                </td>
                <td className="nowrap" data-label="User">
                  {s.user_id ? (
                    <Link
                      to={`${base}/users/${encodeURIComponent(s.user_id)}`}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {truncate(s.user_id, 18)}
                    </Link>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td className="num" data-label="Tasks">
                  {s.session_length}
                </td>
                <td className="num session-duration" data-label="Duration">
                  {formatDuration(Math.max(0, s.last_message_ts - s.created_at))}
                </td>
                <td className="nowrap" data-label="First">
                  {formatTime(s.created_at)}
                </td>
                <td className="nowrap" data-label="Last">
                  {formatTime(s.last_message_ts)}
                </td>
                <td className="nowrap" data-label="Feedback">
                  <FeedbackCounts success={s.success_count} failure={s.failure_count} />
                </td>
                <td className="num" data-label="Tokens">
                  {formatCount(s.total_tokens)}
                </td>
                {costs && (
                  <td className="num" data-label="Cost">
                    {formatCost((s as { cost_usd?: number | null }).cost_usd)}
                  </td>
                )}
                {badges && (
                  <td className="session-events" data-label="Events">
                    {badges(s)}
                  </td>
                )}
                <td className="text-cell" data-label="Preview">
                  {plainPreview(s.preview, 100)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

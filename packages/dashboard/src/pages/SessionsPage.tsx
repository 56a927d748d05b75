/** Sessions, most recent activity first, with keyset "load more". */
import { useState } from "react";
import { api, ApiError, projectPath } from "../api/client";
import type { Session, SessionPage } from "../api/types";
import { FilterBar } from "../components/FilterBar";
import { SessionTable } from "../components/SessionTable";
import { filterQuery, useSearchParams } from "../lib/params";
import { useApi } from "../lib/useApi";

const SESSION_KEYS = ["range", "from", "to", "user_id"];

export function SessionsPage({ projectId }: { projectId: string }) {
  const [params] = useSearchParams();
  const path = projectPath(projectId, `/sessions${filterQuery(params, {}, SESSION_KEYS)}`);
  const first = useApi<SessionPage>(path);
  const [more, setMore] = useState<{ path: string; sessions: Session[]; cursor: string | null }>({
    path,
    sessions: [],
    cursor: null,
  });
  const [error, setError] = useState<string | null>(null);
  const extra = more.path === path ? more : { path, sessions: [], cursor: null };
  const sessions = [...(first.data?.sessions ?? []), ...extra.sessions];
  const nextCursor = extra.cursor === null ? first.data?.nextCursor : extra.cursor || null;

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await api<SessionPage>(
        projectPath(projectId, `/sessions${filterQuery(params, { cursor: nextCursor }, SESSION_KEYS)}`),
      );
      setMore({ path, sessions: [...extra.sessions, ...page.sessions], cursor: page.nextCursor ?? "" });
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  }

  return (
    <div className="page">
      <div className="page-head">
        <h1>Sessions</h1>
      </div>
      <FilterBar projectId={projectId} fields={false} />
      {first.error && <p className="error">{first.error.detail}</p>}
      {first.data && sessions.length === 0 && (
        <p className="card page-message">No sessions. Log tasks with a session_id to group them.</p>
      )}
      {sessions.length > 0 && <SessionTable projectId={projectId} sessions={sessions} />}
      <div className="pager">
        {first.loading && <span className="muted">Loading…</span>}
        {nextCursor && (
          <button type="button" className="secondary" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
        {error && <span className="error">{error}</span>}
      </div>
    </div>
  );
}

/** Sessions, most recent activity first, with keyset "load more". */
import { useState } from "react";
import { api, ApiError, projectPath } from "../api/client";
import type { Session, SessionPage } from "../api/types";
import { FilterBar } from "../components/FilterBar";
import { MatchCount } from "../components/MatchCount";
import { SessionTable } from "../components/SessionTable";
import { AnalyticsFilter, SessionBadges } from "../features/analytics";
import { filterQuery, SESSION_KEYS, useSearchParams } from "../lib/params";
import { useApi } from "../lib/useApi";
import { useTitle } from "../lib/useTitle";

export function SessionsPage({ projectId }: { projectId: string }) {
  useTitle("Sessions");
  const [params, update] = useSearchParams();
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
      <form
        className="row session-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get("q") ?? "").trim();
          const user = String(new FormData(e.currentTarget).get("user_id") ?? "").trim();
          update((p) => {
            if (q) p.set("q", q);
            else p.delete("q");
            if (user) p.set("user_id", user);
            else p.delete("user_id");
          });
        }}
      >
        <label className="field inline">
          <span>Session id contains</span>
          <input key={params.get("q") ?? ""} name="q" type="search" defaultValue={params.get("q") ?? ""} />
        </label>
        <label className="field inline">
          <span>User</span>
          <input
            key={params.get("user_id") ?? ""}
            name="user_id"
            defaultValue={params.get("user_id") ?? ""}
          />
        </label>
        <button type="submit" className="secondary">
          Apply
        </button>
        <label className="field inline">
          <span>Feedback</span>
          <select
            name="feedback"
            value={params.get("feedback") ?? ""}
            onChange={(e) =>
              update((p) => {
                if (e.target.value) p.set("feedback", e.target.value);
                else p.delete("feedback");
              })
            }
          >
            <option value="">any</option>
            <option value="failure">with a failure</option>
            <option value="success">with a success</option>
            <option value="none">no flag</option>
          </select>
        </label>
      </form>
      <div className="list-status">
        <MatchCount projectId={projectId} list="sessions" query={filterQuery(params, {}, SESSION_KEYS)} />
        <span className="muted small">{sessions.length} shown</span>
        <AnalyticsFilter projectId={projectId} />
      </div>
      {first.error && <p className="error">{first.error.detail}</p>}
      {first.data && sessions.length === 0 && (
        <p className="card page-message">No sessions. Log tasks with a session_id to group them.</p>
      )}
      {sessions.length > 0 && (
        <SessionTable
          projectId={projectId}
          sessions={sessions}
          badges={(s) => s.analytics && <SessionBadges analytics={s.analytics} />}
        />
      )}
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

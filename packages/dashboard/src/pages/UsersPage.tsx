/** Users derived from the tasks' user_id: tasks, sessions, success rate, tokens, first and last seen. */
import { useState } from "react";
import { projectPath } from "../api/client";
import type { UserSummary } from "../api/types";
import { FilterBar } from "../components/FilterBar";
import { MatchCount } from "../components/MatchCount";
import { formatCost, formatCount, formatRate, formatTime } from "../lib/format";
import { filterQuery, useSearchParams } from "../lib/params";
import { Link, navigate } from "../lib/router";
import { useApi } from "../lib/useApi";
import { useTitle } from "../lib/useTitle";

const PAGE = 50;

export function UsersPage({ projectId }: { projectId: string }) {
  useTitle("Users");
  const [params, update] = useSearchParams();
  const sort = params.get("sort") ?? "last_seen";
  const [offset, setOffset] = useState<{ key: string; value: number }>({ key: "", value: 0 });
  const key = `${sort}${filterQuery(params)}`;
  const current = offset.key === key ? offset.value : 0;
  const { data, error, loading } = useApi<{ users: UserSummary[]; nextOffset: number | null }>(
    projectPath(
      projectId,
      `/users${filterQuery(params, { sort, offset: String(current), limit: String(PAGE) })}`,
    ),
  );
  const base = `/projects/${encodeURIComponent(projectId)}`;
  // The search is a condition on user_id (the `f` filter), so it also narrows the numbers.
  const search =
    params
      .getAll("f")
      .find((c) => c.startsWith("contains:user_id="))
      ?.slice("contains:user_id=".length) ?? "";
  const costs = (data?.users ?? []).some((u) => "cost_usd" in u);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Users</h1>
        <label className="field inline">
          <span>Sort</span>
          <select name="sort" value={sort} onChange={(e) => update((p) => p.set("sort", e.target.value))}>
            <option value="last_seen">Last seen</option>
            <option value="first_seen">First seen</option>
            <option value="tasks">Most tasks</option>
            <option value="tokens">Most tokens</option>
          </select>
        </label>
      </div>
      <FilterBar projectId={projectId} />
      <form
        className="row user-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get("user_q") ?? "").trim();
          update((p) => {
            const rest = p.getAll("f").filter((c) => !c.startsWith("contains:user_id="));
            p.delete("f");
            for (const c of rest) p.append("f", c);
            if (q) p.append("f", `contains:user_id=${q}`);
          });
        }}
      >
        <label className="field inline">
          <span>User id contains</span>
          <input key={search} name="user_q" type="search" defaultValue={search} />
        </label>
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      <div className="list-status">
        <MatchCount projectId={projectId} list="users" query={filterQuery(params)} />
        {data && <span className="muted small">{data.users.length} shown</span>}
      </div>
      {error && <p className="error">{error.detail}</p>}
      {data && data.users.length === 0 && (
        <p className="card page-message">No users. Log tasks with a user_id to see them here.</p>
      )}
      {data && data.users.length > 0 && (
        <div className="table-wrap">
          <table className="data users-table">
            <thead>
              <tr>
                <th>User</th>
                <th className="num">Tasks</th>
                <th className="num">Sessions</th>
                <th className="num">Success rate</th>
                <th className="num">Tokens</th>
                {costs && <th className="num">Cost</th>}
                <th>First seen</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => {
                const href = `${base}/users/${encodeURIComponent(u.user_id)}`;
                return (
                  <tr
                    key={u.user_id}
                    className="clickable"
                    data-user-id={u.user_id}
                    onClick={() => navigate(href)}
                  >
                    <td>
                      <Link to={href} onClick={(e) => e.stopPropagation()}>
                        {u.user_id}
                      </Link>
                    </td>
                    <td className="num">{formatCount(u.tasks)}</td>
                    <td className="num">{formatCount(u.sessions)}</td>
                    <td className="num" title={`${u.success} success, ${u.failure} failure`}>
                      {formatRate(u.success_rate)}
                    </td>
                    <td className="num">{formatCount(u.tokens)}</td>
                    {costs && (
                      <td className="num" data-label="Cost">
                        {formatCost((u as { cost_usd?: number | null }).cost_usd)}
                      </td>
                    )}
                    <td className="nowrap">{formatTime(u.first_seen)}</td>
                    <td className="nowrap">{formatTime(u.last_seen)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        {loading && <span className="muted">Loading…</span>}
        {current > 0 && (
          <button
            type="button"
            className="secondary"
            onClick={() => setOffset({ key, value: Math.max(0, current - PAGE) })}
          >
            Previous
          </button>
        )}
        {data?.nextOffset != null && (
          <button
            type="button"
            className="secondary"
            onClick={() => setOffset({ key, value: data.nextOffset ?? 0 })}
          >
            Next
          </button>
        )}
      </div>
    </div>
  );
}

/** The tasks table with filters, search, sort, keyset "load more", export, and live new tasks. */
import { useEffect, useState } from "react";
import { api, ApiError, projectPath } from "../api/client";
import type { TaskListItem, TaskPage } from "../api/types";
import { EmptyState } from "../components/EmptyState";
import { ExportButtons } from "../components/ExportButtons";
import { FilterBar } from "../components/FilterBar";
import { TaskTable } from "../components/TaskTable";
import { AnalyticsFilter } from "../features/analytics";
import { filterQuery, FILTER_KEYS, useSearchParams } from "../lib/params";
import { useApi } from "../lib/useApi";
import { useLatest } from "../lib/useLatest";

const SORTS = [
  ["-created_at", "Newest first"],
  ["created_at", "Oldest first"],
  ["-latency_ms", "Slowest first"],
  ["latency_ms", "Fastest first"],
  ["-total_tokens", "Most tokens first"],
  ["total_tokens", "Fewest tokens first"],
] as const;

export function TasksPage({ projectId }: { projectId: string }) {
  const [params, update] = useSearchParams();
  const sort = params.get("sort") ?? "-created_at";
  const path = projectPath(projectId, `/tasks${filterQuery(params, { sort, limit: "50" })}`);
  const first = useApi<TaskPage>(path);
  const { latest, loaded } = useLatest(projectId);
  const [more, setMore] = useState<{ path: string; tasks: TaskListItem[]; cursor: string | null }>({
    path,
    tasks: [],
    cursor: null,
  });
  const [seen, setSeen] = useState<{
    data?: TaskPage;
    path: string;
    latest: number | null;
    ids: Set<string>;
    fresh: Set<string>;
  }>({
    path,
    latest: null,
    ids: new Set(),
    fresh: new Set(),
  });
  const [loadError, setLoadError] = useState<string | null>(null);
  const extra = more.path === path ? more : { path, tasks: [], cursor: null };
  const { reload } = first;

  // A new first page: remember its rows, and which of them are new since the previous one (highlighted).
  if (first.data && first.data !== seen.data) {
    const ids = new Set(first.data.tasks.map((t) => t.id));
    const fresh =
      seen.data && seen.path === path
        ? new Set([...ids].filter((id) => !seen.ids.has(id)))
        : new Set<string>();
    setSeen({ data: first.data, path, latest: latest ?? seen.latest, ids, fresh });
  } else if (first.data && seen.latest === null && latest !== null) {
    setSeen({ ...seen, latest });
  }

  // A new task arrived: refresh the first page (unless the reader is deep in older pages).
  useEffect(() => {
    if (latest !== null && seen.latest !== null && latest > seen.latest && extra.tasks.length === 0) reload();
  }, [latest, seen.latest, extra.tasks.length, reload]);

  async function loadMore() {
    const cursor = extra.cursor ?? first.data?.nextCursor;
    if (!cursor) return;
    setLoadError(null);
    try {
      const page = await api<TaskPage>(
        projectPath(projectId, `/tasks${filterQuery(params, { sort, limit: "50", cursor })}`),
      );
      setMore({ path, tasks: [...extra.tasks, ...page.tasks], cursor: page.nextCursor ?? "" });
    } catch (e) {
      setLoadError(e instanceof ApiError ? e.detail : String(e));
    }
  }

  const hasFilters = FILTER_KEYS.some((k) => params.has(k));
  const tasks = [...(first.data?.tasks ?? []), ...extra.tasks];
  const nextCursor = extra.cursor === null ? first.data?.nextCursor : extra.cursor || null;

  if (loaded && latest === null && !hasFilters) return <EmptyState projectId={projectId} />;

  return (
    <div className="page">
      <div className="page-head">
        <h1>Tasks</h1>
        <div className="actions">
          <label className="field inline">
            <span>Sort</span>
            <select
              name="sort"
              value={sort}
              onChange={(e) =>
                update((p) =>
                  e.target.value === "-created_at" ? p.delete("sort") : p.set("sort", e.target.value),
                )
              }
            >
              {SORTS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <ExportButtons projectId={projectId} params={params} />
        </div>
      </div>
      <FilterBar projectId={projectId} search />
      <AnalyticsFilter projectId={projectId} />
      {first.error && <p className="error">{first.error.detail}</p>}
      {first.data && tasks.length === 0 && (
        <p className="card page-message">No task matches these filters.</p>
      )}
      {tasks.length > 0 && <TaskTable projectId={projectId} tasks={tasks} fresh={seen.fresh} />}
      <div className="pager">
        {first.loading && <span className="muted">Loading…</span>}
        {!first.loading && nextCursor && (
          <button type="button" className="secondary" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
        {loadError && <span className="error">{loadError}</span>}
        <span className="muted small">{tasks.length} shown · live</span>
      </div>
    </div>
  );
}

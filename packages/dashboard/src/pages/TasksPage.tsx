/**
 * The tasks list: filters, match count, configurable table, keyset "load more", export, live new tasks, and
 * keyboard triage (j/k, o/Enter, 1/2, p, ?) with a peek panel. The list keeps its pages and scroll on Back.
 */
import { lazy, Suspense, useState } from "react";
import type { TaskDetail, TaskListItem } from "../api/types";
import { EmptyState } from "../components/EmptyState";
import { ExportButtons } from "../components/ExportButtons";
import { FilterBar } from "../components/FilterBar";
import { toggleFlag } from "../components/FlagButtons";
import { TableSettings, TasksTable, useTableConfig } from "../features/task-table";
import { TaskCount, useTaskList } from "../features/tasks";
import { ShortcutHelp, useTriageKeys } from "../features/triage";
import { SaveView } from "../features/views";
import { filterQuery, hasFilters, useSearchParams } from "../lib/params";
import { navigate } from "../lib/router";
import { AnalyticsFilter } from "../features/analytics";
import { useLatest } from "../lib/useLatest";
import { useTitle } from "../lib/useTitle";

// The peek panel renders Markdown (the largest dependency): loaded on the first peek, not with the list.
const PeekPanel = lazy(async () => ({ default: (await import("../features/triage/PeekPanel")).PeekPanel }));

/** Whether a task with this flag still belongs in a list filtered by `filter`. */
function stillMatches(filter: string | null, flag: string | null): boolean {
  if (filter === "none") return flag === null;
  if (filter === "success" || filter === "failure") return flag === filter;
  return true;
}

export function TasksPage({ projectId }: { projectId: string }) {
  useTitle("Tasks");
  const [params, update] = useSearchParams();
  const sort = params.get("sort") ?? "-created_at";
  const [config, setConfig] = useTableConfig(projectId);
  const metaColumns = config.columns.filter((c) => c.startsWith("meta:")).map((c) => c.slice(5));
  const query = filterQuery(params, {
    sort,
    limit: String(config.pageSize),
    ...(metaColumns.length > 0 && { meta_columns: metaColumns.join(",") }),
  });
  const { latest, loaded } = useLatest(projectId);
  const list = useTaskList(projectId, query, latest);
  const [peek, setPeek] = useState(false);
  const [help, setHelp] = useState(false);
  const [peekVersion, setPeekVersion] = useState(0);
  const flagFilter = params.get("flag");
  const base = `/projects/${encodeURIComponent(projectId)}`;

  function applyFlag(task: TaskListItem, detail: TaskDetail) {
    list.patch(task.id, stillMatches(flagFilter, detail.task.flag) ? { flag: detail.task.flag } : null);
    setPeekVersion((v) => v + 1);
  }

  useTriageKeys({
    count: list.tasks.length,
    selected: list.selected,
    select: (i) => {
      list.select(i);
      if (!peek && i >= 0) setPeek(true);
    },
    open: (i) => {
      const t = list.tasks[i];
      if (t) navigate(`${base}/tasks/${encodeURIComponent(t.id)}`);
    },
    flag: (i, value) => {
      const t = list.tasks[i];
      if (t)
        void toggleFlag(projectId, t.id, t.flag, value).then(
          (d) => applyFlag(t, d),
          () => undefined,
        );
    },
    togglePeek: () => setPeek(!peek),
    toggleHelp: () => setHelp(!help),
    escape: () => (help ? setHelp(false) : setPeek(false)),
  });

  if (loaded && latest === null && !hasFilters(params)) return <EmptyState projectId={projectId} />;
  const selectedTask = list.tasks[list.selected];

  return (
    <div className={`page tasks-page ${peek && selectedTask ? "with-peek" : ""}`}>
      <div className="page-head">
        <h1>Tasks</h1>
        <div className="actions">
          <SaveView projectId={projectId} page="tasks" query={params.toString()} tableConfig={config} />
          <TableSettings projectId={projectId} config={config} onChange={setConfig} />
          <ExportButtons projectId={projectId} params={params} />
          <button
            type="button"
            className="ghost"
            onClick={() => setHelp(true)}
            aria-label="Keyboard shortcuts"
          >
            ?
          </button>
        </div>
      </div>
      <FilterBar projectId={projectId} search />
      <div className="list-status">
        <TaskCount projectId={projectId} query={filterQuery(params)} />
        <span className="muted small">
          {list.tasks.length} shown · live · press <kbd>?</kbd> for shortcuts
        </span>
        <AnalyticsFilter projectId={projectId} />
      </div>
      {list.error && <p className="error">{list.error}</p>}
      {list.loaded && list.tasks.length === 0 && (
        <p className="card page-message">No task matches these filters.</p>
      )}
      <div className="list-and-peek">
        {list.tasks.length > 0 && (
          <TasksTable
            projectId={projectId}
            tasks={list.tasks}
            config={config}
            onConfig={setConfig}
            sort={sort}
            onSort={(s) => update((p) => (s === "-created_at" ? p.delete("sort") : p.set("sort", s)))}
            selected={list.selected}
            onSelect={list.select}
            fresh={list.fresh}
            onFlag={applyFlag}
          />
        )}
        {peek && selectedTask && (
          <Suspense fallback={<aside className="peek card">Loading…</aside>}>
            <PeekPanel
              projectId={projectId}
              taskId={selectedTask.id}
              version={peekVersion}
              onClose={() => setPeek(false)}
            />
          </Suspense>
        )}
      </div>
      <div className="pager">
        {list.loading && <span className="muted">Loading…</span>}
        {!list.loading && list.hasMore && (
          <button type="button" className="secondary" onClick={() => void list.loadMore()}>
            Load more
          </button>
        )}
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}

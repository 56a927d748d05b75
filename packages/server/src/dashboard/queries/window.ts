/**
 * The rows a task page reads from, and the PostgreSQL "window first" plan for pages filtered row by row.
 *
 * A common search word or metadata value matches most tasks. PostgreSQL then reads every match through the
 * trigram or metadata index, rechecks it, and sorts it to keep 50: about 1 s for a word in 70% of 100k tasks.
 * Walking the sort index instead and stopping after 50 matches costs a few ms, but costs a full scan for a rare
 * word; the planner cannot tell the two apart (it has no statistics on substrings). So a page first reads a
 * window of the next `WINDOW_FACTOR × rows` tasks in page order (index filters and cursor applied, LIMIT keeps
 * the planner from pushing the row filters down), then applies search and metadata to that window. When that
 * fills the page, it is exactly the page (the window is a prefix of the sorted rows); otherwise the page is read
 * again without a window, where the selective word makes the index plan cheap.
 */
import type { Store } from "../../store/types.js";
import { afterCursor, sortKey, type CursorValues, type SortPlan } from "./cursor.js";
import type { TaskFilters } from "./params.js";
import { indexFilters, rowWhere, taskWhere } from "./where.js";

/** Rows read per page row in the first try; 20 fills a page when at least 1 row in 20 matches. */
export const WINDOW_FACTOR = 20;

/** Whether a page should first try the window (PostgreSQL, with search or metadata filters). */
export function tryWindow(store: Store, filters: TaskFilters): boolean {
  return store.dialect === "postgres" && (filters.metadata.length > 0 || Boolean(filters.q));
}

/**
 * The filtered, cursor-bounded tasks as a derived table named `tasks`. With `window` (PostgreSQL only), the
 * first `window` rows in page order before the row filters. Without, the same set as one plain WHERE: both
 * engines flatten the derived table, so the plan is the one the query would have without it. On SQLite every
 * filter stays inside, where the FTS condition can use `tasks.rowid`.
 */
export function pageSource(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  plan: SortPlan,
  cursor: CursorValues | null,
  window?: number,
) {
  const split = store.dialect === "postgres";
  let inner = store.db
    .selectFrom("tasks")
    .selectAll()
    .where(taskWhere(store.dialect, projectId, split ? indexFilters(filters) : filters));
  if (cursor) inner = inner.where(afterCursor(plan, cursor));
  if (window !== undefined && split) {
    for (const key of sortKey(plan)) inner = inner.orderBy(key, plan.descending ? "desc" : "asc");
    inner = inner.limit(window);
  }
  const outer = store.db.selectFrom(inner.as("tasks"));
  return split ? outer.where(rowWhere(store.dialect, filters)) : outer;
}

/**
 * The rows a task page reads from, and the PostgreSQL "window first" plan for pages filtered row by row.
 *
 * A common search word or metadata value matches most tasks. Without statistics (after a bulk load, before
 * autovacuum's ANALYZE) PostgreSQL guesses that few rows match, reads every match through the trigram index,
 * rechecks it and sorts all of them to keep 50: about 1 s for a word in 70% of 100k tasks. Walking the sort index
 * and stopping after 50 matches costs a few ms, but a full walk for a rare word. So a page first reads a window
 * of the next `WINDOW_FACTOR × rows` tasks in page order (index filters and cursor applied; the LIMIT keeps the
 * planner from pushing the row filters down), then applies search and metadata to that window. When that fills
 * the page, it is exactly the page (the window is a prefix of the sorted rows); otherwise the page is read again
 * as one plain query, which the planner serves from the trigram or metadata index.
 *
 * The window must be read in index order whatever the statistics say (without them the planner would rather
 * sort the whole project), hence `enable_sort = off` for that one statement; `jit = off` because that setting
 * inflates the costs past the JIT threshold (400 ms of compiling). Only for filters that leave most of the
 * project to walk: a user, session, version, model, environment or notes filter may be selective, and then the
 * planner's own plan is the better one.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../../store/schema.js";
import type { Store } from "../../store/types.js";
import { afterCursor, sortKey, type CursorValues, type SortPlan } from "./cursor.js";
import type { TaskFilters } from "./params.js";
import { indexFilters, rowWhere, taskWhere } from "./where.js";

/** Rows read per page row in the first try; 20 fills a page when at least 1 row in 20 matches. */
export const WINDOW_FACTOR = 20;

/** Whether a page should first try the window (see above). */
export function tryWindow(store: Store, f: TaskFilters): boolean {
  const rowFiltered = f.metadata.length > 0 || Boolean(f.q);
  const selective =
    f.userId !== undefined ||
    f.sessionId !== undefined ||
    f.versionId !== undefined ||
    f.model !== undefined ||
    f.environment !== undefined ||
    f.hasNotes === true;
  return store.dialect === "postgres" && rowFiltered && !selective;
}

/** Runs `read` in a transaction whose planner reads in index order rather than sort (see above). */
export function inIndexOrder<T>(store: Store, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    return read(trx);
  });
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
  db: Kysely<Database> = store.db,
) {
  const split = store.dialect === "postgres";
  let inner = db
    .selectFrom("tasks")
    .selectAll()
    .where(taskWhere(store.dialect, projectId, split ? indexFilters(filters) : filters));
  if (cursor) inner = inner.where(afterCursor(plan, cursor));
  if (window !== undefined && split) {
    for (const key of sortKey(plan)) inner = inner.orderBy(key, plan.descending ? "desc" : "asc");
    inner = inner.limit(window);
  }
  const outer = db.selectFrom(inner.as("tasks"));
  return split ? outer.where(rowWhere(store.dialect, filters)) : outer;
}

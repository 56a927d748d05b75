/** Task list pages (keyset), one task with its feedback history, and the page iterator used by exports. */
import { sql } from "kysely";
import { readSteps } from "../../steps/index.js";
import { pageAnalytics, taskAnalyticsColumns, withTaskAnalytics } from "../../analytics/reads.js";
import { parseJson } from "../../store/derive.js";
import type { Store, TaskRow } from "../../store/types.js";
import type { FeedbackEntry, Task, TaskDetail, TaskListItem, TaskPage } from "../api-types.js";
import {
  decodeCursor,
  encodeCursor,
  nullsLast,
  sortKey,
  sortPlan,
  valueSection,
  type CursorValues,
  type TaskSort,
} from "./cursor.js";
import { splitMetadata } from "./derived-keys.js";
import type { TaskFilters } from "./params.js";
import { inIndexOrder, pageSource, tryWindow, WINDOW_FACTOR } from "./window.js";

/** Characters of input/output sent per row in lists; the detail view has the full text. */
export const PREVIEW_CHARS = 300;

export interface PageOptions {
  sort: TaskSort;
  cursor?: string | undefined;
  limit: number;
  /** Metadata keys to return per row (as `meta`), for table columns. */
  metaColumns?: string[] | undefined;
}

function pickMeta(text: string | undefined, keys: string[]): Record<string, unknown> {
  const all = (parseJson(text ?? null) ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]]));
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** SQLite: a user or session filter should drive the query through its own index (see SortPlan). */
export function prefersFilterIndex(store: Store, filters: TaskFilters): boolean {
  return store.dialect === "sqlite" && (filters.userId !== undefined || filters.sessionId !== undefined);
}

/** A page row as read: the list columns, `metadata` when asked for, and its analytics columns (`read` below). */
interface PageRow {
  id: string;
  session_id: string | null;
  created_at: number | string;
  received_at: number | string;
  input: string;
  output: string | null;
  flag: string | null;
  notes: string | null;
  user_id: string | null;
  model: string | null;
  version_id: string | null;
  environment: string;
  status: string | null;
  prompt_tokens: number | string | null;
  completion_tokens: number | string | null;
  total_tokens: number | string | null;
  latency_ms: number | string | null;
  cost_usd: number | string | null;
  cost_source: string | null;
  step_count: number | string | null;
  metadata?: string;
}

/**
 * The reply's row, its keys always written in the list's order (`meta` and `has_notes` last), so that every row
 * has one shape and serialises fast.
 */
function listItem(row: PageRow, metaColumns: string[] | undefined): TaskListItem {
  const item = {
    id: row.id,
    session_id: row.session_id,
    created_at: Number(row.created_at),
    received_at: Number(row.received_at),
    input: row.input,
    output: row.output,
    flag: row.flag,
    user_id: row.user_id,
    model: row.model,
    version_id: row.version_id,
    environment: row.environment,
    status: row.status,
    prompt_tokens: num(row.prompt_tokens),
    completion_tokens: num(row.completion_tokens),
    total_tokens: num(row.total_tokens),
    latency_ms: num(row.latency_ms),
    cost_usd: num(row.cost_usd),
    cost_source: row.cost_source,
    step_count: Number(row.step_count ?? 0),
  } as TaskListItem;
  if (metaColumns?.length) item.meta = pickMeta(row.metadata, metaColumns);
  item.has_notes = row.notes !== null && row.notes !== "";
  return item;
}

export async function listTasks(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  page: PageOptions,
): Promise<TaskPage> {
  const plan = sortPlan(page.sort, prefersFilterIndex(store, filters));
  const cursor = page.cursor ? decodeCursor(page.cursor, plan) : null;
  const direction = plan.descending ? "desc" : "asc";
  // One statement per page: the page itself (as before), then, for its rows only, each one's analytics columns
  // and whether it has a detection to show. The badges are a second read only when one does.
  const read = (
    window?: number,
    db = store.db,
    from: CursorValues | null = cursor,
    section?: boolean,
    limit = page.limit + 1,
  ) => {
    let source = pageSource(store, projectId, filters, plan, from, window, db);
    if (section !== undefined) source = source.where(valueSection(plan, section));
    let rows = source.select([
      "id",
      "session_id",
      "created_at",
      "received_at",
      sql<string>`substr(tasks.input, 1, ${PREVIEW_CHARS})`.as("input"),
      sql<string | null>`substr(tasks.output, 1, ${PREVIEW_CHARS})`.as("output"),
      "flag",
      "notes",
      "user_id",
      "model",
      "version_id",
      "environment",
      "status",
      "prompt_tokens",
      "completion_tokens",
      "total_tokens",
      "latency_ms",
      "cost_usd",
      "cost_source",
      "step_count",
      ...(page.metaColumns?.length ? (["metadata"] as const) : []),
    ]);
    for (const key of sortKey(plan)) rows = rows.orderBy(key, direction);
    let query = db
      .selectFrom(rows.limit(limit).as("tasks"))
      .selectAll("tasks")
      .select(taskAnalyticsColumns(projectId));
    // A derived table promises no order: the page's rows are sorted again (at most `limit` of them).
    for (const key of sortKey(plan)) query = query.orderBy(key, direction);
    return query.execute();
  };
  let rows: Awaited<ReturnType<typeof read>>;
  if (nullsLast(plan)) {
    const inNulls = cursor !== null && cursor[0] === -1;
    rows = await read(undefined, store.db, cursor, !inNulls);
    if (!inNulls && rows.length <= page.limit)
      rows = rows.concat(await read(undefined, store.db, null, false, page.limit + 1 - rows.length));
  } else {
    const window = (page.limit + 1) * WINDOW_FACTOR;
    rows = tryWindow(store, filters) ? await inIndexOrder(store, (db) => read(window, db)) : [];
    if (rows.length <= page.limit) rows = await read();
  }
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const analytics = await pageAnalytics(store.db, projectId, shown);
  const tasks = shown.map((row, i) => {
    const item = listItem(row as PageRow, page.metaColumns);
    item.analytics = analytics[i]!;
    return item;
  });
  const last = tasks.at(-1);
  let nextCursor: string | null = null;
  if (more && last) {
    const time: [number, number, string] = [last.created_at, last.received_at, last.id];
    const values: CursorValues = plan.column ? [last[plan.column] ?? -1, ...time] : time;
    nextCursor = encodeCursor(values);
  }
  return { tasks, nextCursor };
}

export async function feedbackHistory(store: Store, projectId: string, taskIds: string[]) {
  if (taskIds.length === 0) return new Map<string, FeedbackEntry[]>();
  const rows = await store.db
    .selectFrom("evals")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("task_id", "in", taskIds)
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .execute();
  const byTask = new Map<string, FeedbackEntry[]>();
  for (const row of rows) {
    const list = byTask.get(row.task_id) ?? [];
    list.push({
      id: Number(row.id),
      kind: row.kind,
      value: row.value,
      source: row.source,
      notes: row.notes,
      created_at: Number(row.created_at),
      applied: Number(row.applied) === 1,
    });
    byTask.set(row.task_id, list);
  }
  return byTask;
}

/** A task row as the API returns it: JSON columns parsed. */
export function presentTask(task: TaskRow): Task {
  return {
    ...task,
    metadata: (parseJson(task.metadata) ?? {}) as Record<string, unknown>,
    raw_input: parseJson(task.raw_input),
    raw_output: parseJson(task.raw_output),
    last_eval: parseJson(task.last_eval),
    is_last_task: Number(task.is_last_task) === 1,
  };
}

export async function getTaskDetail(
  store: Store,
  projectId: string,
  taskId: string,
): Promise<TaskDetail | null> {
  const task = await store.getTask(projectId, taskId);
  if (!task) return null;
  const history = await feedbackHistory(store, projectId, [taskId]);
  const steps = task.step_count > 0 ? await readSteps(store.db, projectId, taskId) : [];
  const [presented] = await withTaskAnalytics(store.db, projectId, [presentTask(task)], true);
  const { user, derived } = splitMetadata(presented!.metadata);
  return {
    task: presented!,
    feedback: history.get(taskId) ?? [],
    steps,
    user_metadata: user,
    derived_metadata: derived,
  };
}

/** Every task matching the filters, page by page (keyset), full rows, for exports. Memory stays at one page. */
export async function* iterateTasks(store: Store, projectId: string, filters: TaskFilters, pageSize = 500) {
  const plan = sortPlan("-created_at", prefersFilterIndex(store, filters));
  let cursor: CursorValues | null = null;
  for (;;) {
    const read = (window?: number, db = store.db) => {
      let query = pageSource(store, projectId, filters, plan, cursor, window, db).selectAll();
      for (const key of sortKey(plan)) query = query.orderBy(key, "desc");
      return query.limit(pageSize).execute();
    };
    const window = pageSize * WINDOW_FACTOR;
    let rows = tryWindow(store, filters) ? await inIndexOrder(store, (db) => read(window, db)) : [];
    if (rows.length < pageSize) rows = await read();
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    cursor = [Number(last.created_at), Number(last.received_at), last.id];
  }
}

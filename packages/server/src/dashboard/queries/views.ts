/** Saved views (migration 011): list, create, delete, per project. */
import { randomBytes } from "node:crypto";
import type { Store } from "../../store/types.js";
import type { SavedView } from "../api-types.js";

/** Most views a project keeps. */
export const VIEW_LIMIT = 200;

function present(row: {
  id: string;
  name: string;
  page: string;
  query: string;
  table_config: string | null;
  created_at: number | string;
}): SavedView {
  let tableConfig: unknown = null;
  try {
    tableConfig = row.table_config === null ? null : JSON.parse(row.table_config);
  } catch {
    tableConfig = null;
  }
  return {
    id: row.id,
    name: row.name,
    page: row.page,
    query: row.query,
    table_config: tableConfig,
    created_at: Number(row.created_at),
  };
}

export async function listViews(store: Store, projectId: string): Promise<SavedView[]> {
  const rows = await store.db
    .selectFrom("saved_views")
    .selectAll()
    .where("project_id", "=", projectId)
    .orderBy("name", "asc")
    .orderBy("id", "asc")
    .limit(VIEW_LIMIT)
    .execute();
  return rows.map(present);
}

export async function getView(store: Store, projectId: string, id: string): Promise<SavedView | null> {
  const row = await store.db
    .selectFrom("saved_views")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? present(row) : null;
}

export async function countViews(store: Store, projectId: string): Promise<number> {
  const row = await store.db
    .selectFrom("saved_views")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function createView(
  store: Store,
  projectId: string,
  view: { name: string; page: string; query: string; table_config?: unknown },
  now = Date.now(),
): Promise<SavedView> {
  const row = {
    project_id: projectId,
    id: `view_${randomBytes(8).toString("hex")}`,
    name: view.name,
    page: view.page,
    query: view.query,
    table_config: view.table_config === undefined ? null : JSON.stringify(view.table_config),
    created_at: now,
  };
  await store.db.insertInto("saved_views").values(row).execute();
  return present(row);
}

export async function deleteView(store: Store, projectId: string, id: string): Promise<boolean> {
  const result = await store.db
    .deleteFrom("saved_views")
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

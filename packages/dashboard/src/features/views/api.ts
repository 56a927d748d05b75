/** Saved views over the API, and a tiny change signal so the navigation list refreshes after a save. */
import { api, projectPath } from "../../api/client";
import type { SavedView } from "../../api/types";

const listeners = new Set<() => void>();
export function onViewsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const changed = () => listeners.forEach((l) => l());

export const listViews = (projectId: string) =>
  api<{ views: SavedView[] }>(projectPath(projectId, "/views")).then((r) => r.views);

export const getView = (projectId: string, id: string) =>
  api<{ view: SavedView }>(projectPath(projectId, `/views/${encodeURIComponent(id)}`)).then((r) => r.view);

export async function saveView(
  projectId: string,
  view: { name: string; page: string; query: string; table_config?: object },
): Promise<SavedView> {
  const r = await api<{ view: SavedView }>(projectPath(projectId, "/views"), { method: "POST", body: view });
  changed();
  return r.view;
}

export async function deleteView(projectId: string, id: string): Promise<void> {
  await api(projectPath(projectId, `/views/${encodeURIComponent(id)}`), { method: "DELETE" });
  changed();
}

/** The link that opens a view for anyone signed in to the project. */
export const viewLink = (projectId: string, id: string) =>
  `/projects/${encodeURIComponent(projectId)}/views/${encodeURIComponent(id)}`;

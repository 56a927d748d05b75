/** The project and key management API (see packages/server/src/dashboard/README.md, "Projects and keys"). */
import { api, projectPath } from "../../api/client";
import type { Project } from "../../api/types";

export interface KeyRecord {
  id: string;
  prefix: string;
  name: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export const listKeys = (projectId: string) => api<{ keys: KeyRecord[] }>(projectPath(projectId, "/keys"));

export const createKey = (projectId: string, name: string) =>
  api<{ key: string; record: KeyRecord }>(projectPath(projectId, "/keys"), {
    method: "POST",
    body: name ? { name } : {},
  });

export const revokeKey = (projectId: string, keyId: string) =>
  api<{ record: KeyRecord }>(projectPath(projectId, `/keys/${encodeURIComponent(keyId)}/revoke`), {
    method: "POST",
  });

export const createProject = (name: string) =>
  api<{ project: Project; key: string }>("/projects", { method: "POST", body: { name } });

export const renameProject = (projectId: string, name: string) =>
  api<{ project: Project }>(projectPath(projectId, ""), { method: "PATCH", body: { name } });

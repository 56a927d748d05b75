/** `/projects/:id/views/:viewId`: the shareable link of a view. Applies its table settings, then opens its page. */
import { useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import { navigate } from "../../lib/router";
import { getView } from "./api";

export function OpenView({ projectId, viewId }: { projectId: string; viewId: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getView(projectId, viewId).then(
      (view) => {
        if (view.table_config && typeof view.table_config === "object") {
          try {
            window.localStorage.setItem(`phospho.table.${projectId}`, JSON.stringify(view.table_config));
          } catch {
            // private mode: the view opens with the current table settings
          }
        }
        const query = view.query ? `?${view.query}` : "";
        navigate(`/projects/${encodeURIComponent(projectId)}/${view.page}${query}`, { replace: true });
      },
      (e: unknown) => setError(e instanceof ApiError ? e.detail : String(e)),
    );
  }, [projectId, viewId]);
  return error ? (
    <p className="error page-message">{error}</p>
  ) : (
    <p className="page-message">Opening the view…</p>
  );
}

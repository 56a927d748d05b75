/** The saved views of the project, in the navigation: open one, copy its link, delete it. */
import { useEffect, useState } from "react";
import type { SavedView } from "../../api/types";
import { CopyButton } from "../../components/CopyButton";
import { Link } from "../../lib/router";
import { deleteView, listViews, onViewsChanged, viewLink } from "./api";

export function ViewsNav({ projectId }: { projectId: string }) {
  const [views, setViews] = useState<SavedView[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => onViewsChanged(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    let stopped = false;
    listViews(projectId).then(
      (v) => !stopped && setViews(v),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [projectId, version]);
  return (
    <details className="views-nav">
      <summary>Views ({views.length})</summary>
      <div className="views-list card">
        {views.length === 0 && (
          <p className="muted small">No view yet: filter the tasks, then “Save view”.</p>
        )}
        <ul>
          {views.map((v) => (
            <li key={v.id} data-view-id={v.id}>
              <Link to={viewLink(projectId, v.id)}>{v.name}</Link>{" "}
              <CopyButton text={`${window.location.origin}${viewLink(projectId, v.id)}`} label="Copy link" />{" "}
              <button
                type="button"
                className="link-button small"
                aria-label={`Delete view ${v.name}`}
                onClick={() => void deleteView(projectId, v.id)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

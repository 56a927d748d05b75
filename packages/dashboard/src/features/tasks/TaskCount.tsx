/** "1,234 tasks" (exact) or "about 1.2M tasks (estimated)": fetched apart from the rows, so rows come first. */
import { projectPath } from "../../api/client";
import type { TaskCount as Count } from "../../api/types";
import { useApi } from "../../lib/useApi";

export function TaskCount({ projectId, query }: { projectId: string; query: string }) {
  const { data } = useApi<Count>(projectPath(projectId, `/tasks/count${query}`));
  if (!data) return <span className="count muted">counting…</span>;
  const n = data.count.toLocaleString();
  return (
    <span className="count" data-exact={data.exact} data-count={data.count}>
      {data.exact ? (
        <>
          <strong>{n}</strong> {data.count === 1 ? "task matches" : "tasks match"}
        </>
      ) : (
        <span title="Counting every match would be slow: estimated from the newest matches">
          about <strong>{n}</strong> tasks match (estimated)
        </span>
      )}
    </span>
  );
}

/**
 * "1,234 sessions match" (exact) or "about 1.2M sessions match (estimated)", for any list: fetched apart from
 * the rows (`GET /count/{list}`), so rows come first. The reply's `exact` says which the label shows.
 */
import { projectPath } from "../api/client";
import type { MatchCount as Count } from "../api/types";
import { useApi } from "../lib/useApi";

export function MatchCount(props: {
  projectId: string;
  /** `tasks`, `sessions` or `users`: the list and the noun. */
  list: "tasks" | "sessions" | "users";
  /** The list's filter query, with its `?`. */
  query: string;
}) {
  const { data } = useApi<Count>(projectPath(props.projectId, `/count/${props.list}${props.query}`));
  if (!data) return <span className="count muted">counting…</span>;
  const n = data.count.toLocaleString();
  const noun = data.count === 1 ? props.list.slice(0, -1) : props.list;
  return (
    <span className="count" data-list={props.list} data-exact={data.exact} data-count={data.count}>
      {data.exact ? (
        <>
          <strong>{n}</strong> {noun} {data.count === 1 ? "matches" : "match"}
        </>
      ) : (
        <span title="Counting every match would be slow: estimated from the newest matches">
          about <strong>{n}</strong> {noun} match (estimated)
        </span>
      )}
    </span>
  );
}

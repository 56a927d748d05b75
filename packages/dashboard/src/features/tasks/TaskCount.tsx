/** "1,234 tasks match" (exact) or "about 1.2M tasks match (estimated)". */
import { MatchCount } from "../../components/MatchCount";

export function TaskCount({ projectId, query }: { projectId: string; query: string }) {
  return <MatchCount projectId={projectId} list="tasks" query={query} />;
}

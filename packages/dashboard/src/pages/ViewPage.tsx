/** The shareable link of a saved view. */
import { OpenView } from "../features/views";
import { useTitle } from "../lib/useTitle";

export function ViewPage({ projectId, params }: { projectId: string; params: Record<string, string> }) {
  useTitle("Saved view");
  return <OpenView projectId={projectId} viewId={params.viewId ?? ""} />;
}

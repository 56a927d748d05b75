/** Settings of one project: its name, a new project, its API keys. */
import type { Project } from "../api/types";
import { KeysCard, ProjectCard } from "../features/settings";
import { useApi } from "../lib/useApi";
import { useTitle } from "../lib/useTitle";

export function SettingsPage({ projectId }: { projectId: string }) {
  useTitle("Settings");
  const me = useApi<{ projects: Project[] }>("/me");
  const project = me.data?.projects.find((p) => p.id === projectId);
  return (
    <div className="page settings">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      {project && <ProjectCard key={project.id} project={project} />}
      <KeysCard projectId={projectId} />
    </div>
  );
}

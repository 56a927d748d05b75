/** Rename this project, or create a new one (its first key is shown once). */
import { useState } from "react";
import { ApiError } from "../../api/client";
import type { Project } from "../../api/types";
import { CopyButton } from "../../components/CopyButton";
import { createProject, renameProject } from "./api";

export function ProjectCard({ project }: { project: Project }) {
  const [name, setName] = useState(project.name);
  const [newName, setNewName] = useState("");
  const [created, setCreated] = useState<{ project: Project; key: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<void>) {
    setError(null);
    setMessage(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  }

  return (
    <section className="card" aria-labelledby="project-title">
      <h2 id="project-title">Project</h2>
      <p className="muted small">
        Id <code>{project.id}</code> <CopyButton text={project.id} label="Copy id" />
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await renameProject(project.id, name.trim());
            setMessage("Renamed.");
          });
        }}
      >
        <label className="field inline">
          <span>Name</span>
          <input name="project_name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={!name.trim() || name.trim() === project.name}>
          Rename
        </button>
      </form>
      <h3>New project</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => setCreated(await createProject(newName.trim())));
        }}
      >
        <label className="field inline">
          <span>Name</span>
          <input name="new_project_name" value={newName} onChange={(e) => setNewName(e.target.value)} />
        </label>
        <button type="submit" disabled={!newName.trim()}>
          Create project
        </button>
      </form>
      {created && (
        <div className="new-key" role="status">
          <p>
            Project <strong>{created.project.name}</strong> created. Its key, shown{" "}
            <strong>only this once</strong>:
          </p>
          <code className="mono">{created.key}</code> <CopyButton text={created.key} label="Copy key" />
          <p>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                window.location.assign(`/projects/${encodeURIComponent(created.project.id)}/overview`);
              }}
            >
              Open it
            </button>
          </p>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      {error && <p className="error">{error}</p>}
    </section>
  );
}

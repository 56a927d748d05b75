/** The frame of every project page: brand, project switcher, navigation, sign-out. */
import type { ReactNode } from "react";
import { api } from "../api/client";
import type { Project } from "../api/types";
import { Link, navigate } from "../lib/router";

const SECTIONS = [
  ["overview", "Overview"],
  ["tasks", "Tasks"],
  ["sessions", "Sessions"],
  ["users", "Users"],
  ["events", "Events"],
  ["ab-compare", "A/B"],
] as const;

export function Layout(props: {
  projects: Project[];
  projectId: string;
  pathname: string;
  children: ReactNode;
}) {
  const { projects, projectId, pathname } = props;
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const section = pathname.split("/")[3] ?? "overview";
  const known = projects.some((p) => p.id === projectId);

  async function signOut() {
    await api("/signout", { method: "POST" }).catch(() => undefined);
    navigate("/signin");
  }

  return (
    <div className="layout">
      <header className="topbar">
        <Link to={`${base}/overview`} className="brand">
          phospho
        </Link>
        <nav className="sections">
          {SECTIONS.map(([key, label]) => (
            <Link key={key} to={`${base}/${key}`} className={section === key ? "active" : ""}>
              {label}
            </Link>
          ))}
        </nav>
        <div className="spacer" />
        <label className="project-switch">
          <span>Project</span>
          <select
            aria-label="Project"
            value={projectId}
            onChange={(e) => navigate(`/projects/${encodeURIComponent(e.target.value)}/${section}`)}
          >
            {!known && <option value={projectId}>{projectId}</option>}
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name === p.id ? p.id : `${p.name} (${p.id})`}
              </option>
            ))}
          </select>
        </label>
        <Link to="/signin" className="button ghost">
          Add project
        </Link>
        <button type="button" className="ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main className="content">{props.children}</main>
    </div>
  );
}

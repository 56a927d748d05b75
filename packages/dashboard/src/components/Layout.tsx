/**
 * The frame of every project page: brand, navigation (carrying the filters from page to page), project
 * switcher, time zone and theme switches, sign-out. Under 720 px the navigation folds into a menu button.
 */
import { useState, type ReactNode } from "react";
import { api } from "../api/client";
import type { Project } from "../api/types";
import { carryQuery } from "../lib/params";
import { Link, navigate, useLocation } from "../lib/router";
import { isDark, setTheme, useTheme } from "../lib/theme";
import { setZone, useZone, zoneName } from "../lib/time";

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
  /** Extra navigation (saved views), under the sections. */
  aside?: ReactNode;
}) {
  const { projects, projectId, pathname } = props;
  const { search } = useLocation();
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const section = pathname.split("/")[3] ?? "overview";
  const known = projects.some((p) => p.id === projectId);
  const [menu, setMenu] = useState(false);
  const zone = useZone();
  const theme = useTheme();
  const carry = carryQuery(search);

  async function signOut() {
    await api("/signout", { method: "POST" }).catch(() => undefined);
    navigate("/signin");
  }

  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={`topbar ${menu ? "menu-open" : ""}`}>
        <Link to={`${base}/overview${carry}`} className="brand">
          phospho
        </Link>
        <button
          type="button"
          className="menu-button ghost"
          aria-expanded={menu}
          aria-controls="main-menu"
          onClick={() => setMenu(!menu)}
        >
          Menu
        </button>
        <div className="menu" id="main-menu">
          <nav className="sections" aria-label="Sections">
            {SECTIONS.map(([key, label]) => (
              <Link
                key={key}
                to={`${base}/${key}${carry}`}
                className={section === key ? "active" : ""}
                aria-current={section === key ? "page" : undefined}
                onClick={() => setMenu(false)}
              >
                {label}
              </Link>
            ))}
            <Link
              to={`${base}/settings`}
              className={section === "settings" ? "active" : ""}
              aria-current={section === "settings" ? "page" : undefined}
              onClick={() => setMenu(false)}
            >
              Settings
            </Link>
          </nav>
          {props.aside}
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
                <option key={p.id} value={p.id} title={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="ghost zone-switch"
            title="Times are shown in this zone; click to switch"
            onClick={() => setZone(zone === "utc" ? "local" : "utc")}
          >
            {zone === "utc" ? "UTC" : `Local (${zoneName("local")})`}
          </button>
          <button
            type="button"
            className="ghost theme-switch"
            aria-label={isDark(theme) ? "Switch to light mode" : "Switch to dark mode"}
            onClick={() => setTheme(isDark(theme) ? "light" : "dark")}
          >
            {isDark(theme) ? "Light" : "Dark"}
          </button>
          <Link to="/signin" className="button ghost" title="Open another project by pasting its API key">
            Add a project by key
          </Link>
          <button type="button" className="ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content" id="main">
        {props.children}
      </main>
    </div>
  );
}

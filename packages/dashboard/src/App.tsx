/**
 * Routes: `/signin`, then everything under `/projects/:projectId/…`. `/` opens the first project. Each page is
 * its own chunk (React.lazy), so the first load carries only the frame and the page opened.
 */
import { lazy, Suspense, useEffect } from "react";
import type { Project } from "./api/types";
import { Layout } from "./components/Layout";
import { ViewsNav } from "./features/views";
import { useApi } from "./lib/useApi";
import { matchPath, navigate, useLocation } from "./lib/router";
import { useTitle } from "./lib/useTitle";

type Page = (props: { projectId: string; params: Record<string, string> }) => React.ReactNode;

const page = <K extends string>(load: () => Promise<Record<K, Page>>, name: K) => {
  const component = lazy(async () => ({ default: (await load())[name] }));
  loaders.set(component, load);
  return component;
};
const loaders = new Map<unknown, () => Promise<unknown>>();

const OverviewPage = page(() => import("./pages/OverviewPage"), "OverviewPage");
const TasksPage = page(() => import("./pages/TasksPage"), "TasksPage");
const TaskDetailPage = page(() => import("./pages/TaskDetailPage"), "TaskDetailPage");
const SessionsPage = page(() => import("./pages/SessionsPage"), "SessionsPage");
const SessionDetailPage = page(() => import("./pages/SessionDetailPage"), "SessionDetailPage");
const UsersPage = page(() => import("./pages/UsersPage"), "UsersPage");
const UserDetailPage = page(() => import("./pages/UserDetailPage"), "UserDetailPage");
const SettingsPage = page(() => import("./pages/SettingsPage"), "SettingsPage");
const ViewPage = page(() => import("./pages/ViewPage"), "ViewPage");
const EventsPage = page(() => import("./features/analytics"), "EventsPage");
const AbComparePage = page(() => import("./features/analytics"), "AbComparePage");
const SignInPage = lazy(async () => ({ default: (await import("./pages/SignInPage")).SignInPage }));

const routes: Array<[string, React.ComponentType<{ projectId: string; params: Record<string, string> }>]> = [
  ["/projects/:projectId", OverviewPage],
  ["/projects/:projectId/overview", OverviewPage],
  ["/projects/:projectId/tasks", TasksPage],
  ["/projects/:projectId/tasks/:taskId", TaskDetailPage],
  ["/projects/:projectId/sessions", SessionsPage],
  ["/projects/:projectId/sessions/:sessionId", SessionDetailPage],
  ["/projects/:projectId/users", UsersPage],
  ["/projects/:projectId/users/:userId", UserDetailPage],
  ["/projects/:projectId/settings", SettingsPage],
  ["/projects/:projectId/views/:viewId", ViewPage],
  ["/projects/:projectId/events", EventsPage],
  ["/projects/:projectId/ab-compare", AbComparePage],
];

const loading = <div className="page-message">Loading…</div>;

// The opened page's chunk starts loading with the app, not after `/api/me` answers.
for (const [pattern, component] of routes) {
  if (matchPath(pattern, window.location.pathname)) {
    void loaders.get(component)?.();
    break;
  }
}

/** A project this session cannot open (unknown, or never signed in to): say so and offer to sign in. */
function ProjectUnavailable({ projectId }: { projectId: string }) {
  useTitle("Project not available");
  const here = window.location.pathname + window.location.search;
  return (
    <main className="signin" id="main">
      <div className="card signin-card" data-testid="project-unavailable">
        <h1>Project not available</h1>
        <p>
          There is no project <code>{projectId}</code> that this browser is signed in to. It may not exist, or
          it needs its API key.
        </p>
        <p>
          <a className="button" href={`/signin?next=${encodeURIComponent(here)}`}>
            Sign in with its API key
          </a>{" "}
          <a href="/">Open my projects</a>
        </p>
      </div>
    </main>
  );
}

function SignedIn({ pathname }: { pathname: string }) {
  const me = useApi<{ all: boolean; projects: Project[] }>("/me");
  const first = me.data?.projects[0];

  useEffect(() => {
    if (pathname === "/" && first)
      navigate(`/projects/${encodeURIComponent(first.id)}/overview`, { replace: true });
  }, [pathname, first]);

  if (me.error)
    return <div className="page-message error">Could not load your projects: {me.error.detail}</div>;
  for (const [pattern, Component] of routes) {
    const params = matchPath(pattern, pathname);
    if (params?.projectId !== undefined) {
      // While `/api/me` loads, the page already fetches its data (the API checks access on every call).
      if (me.data && !me.data.projects.some((p) => p.id === params.projectId))
        return <ProjectUnavailable projectId={params.projectId} />;
      return (
        <Layout
          projects={me.data?.projects ?? []}
          projectId={params.projectId}
          pathname={pathname}
          aside={<ViewsNav key={params.projectId} projectId={params.projectId} />}
        >
          <Suspense fallback={loading}>
            <Component key={params.projectId} projectId={params.projectId} params={params} />
          </Suspense>
        </Layout>
      );
    }
  }
  if (!me.data) return loading;
  if (me.data.projects.length === 0) {
    return (
      <div className="page-message">
        No project yet. Start phospho-server with <code>PHOSPHO_API_KEY</code> set, or{" "}
        <a href="/signin">sign in with a project API key</a>.
      </div>
    );
  }
  return pathname === "/" ? loading : <div className="page-message">No page at {pathname}.</div>;
}

export function App() {
  const { pathname } = useLocation();
  if (pathname === "/signin")
    return (
      <Suspense fallback={loading}>
        <SignInPage />
      </Suspense>
    );
  return <SignedIn pathname={pathname} />;
}

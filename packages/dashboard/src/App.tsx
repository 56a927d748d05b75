/** Routes: `/signin`, then everything under `/projects/:projectId/…`. `/` opens the first project. */
import { useEffect } from "react";
import type { Project } from "./api/types";
import { Layout } from "./components/Layout";
import { AbComparePage, EventsPage } from "./features/analytics";
import { useApi } from "./lib/useApi";
import { matchPath, navigate, useLocation } from "./lib/router";
import { OverviewPage } from "./pages/OverviewPage";
import { SessionDetailPage } from "./pages/SessionDetailPage";
import { SessionsPage } from "./pages/SessionsPage";
import { SignInPage } from "./pages/SignInPage";
import { TaskDetailPage } from "./pages/TaskDetailPage";
import { TasksPage } from "./pages/TasksPage";
import { UserDetailPage } from "./pages/UserDetailPage";
import { UsersPage } from "./pages/UsersPage";

type Page = (props: { projectId: string; params: Record<string, string> }) => React.ReactNode;

const routes: Array<[string, Page]> = [
  ["/projects/:projectId", OverviewPage],
  ["/projects/:projectId/overview", OverviewPage],
  ["/projects/:projectId/tasks", TasksPage],
  ["/projects/:projectId/tasks/:taskId", TaskDetailPage],
  ["/projects/:projectId/sessions", SessionsPage],
  ["/projects/:projectId/sessions/:sessionId", SessionDetailPage],
  ["/projects/:projectId/users", UsersPage],
  ["/projects/:projectId/users/:userId", UserDetailPage],
  ["/projects/:projectId/events", EventsPage],
  ["/projects/:projectId/ab-compare", AbComparePage],
];

function SignedIn({ pathname }: { pathname: string }) {
  const me = useApi<{ all: boolean; projects: Project[] }>("/me");
  const first = me.data?.projects[0];

  useEffect(() => {
    if (pathname === "/" && first)
      navigate(`/projects/${encodeURIComponent(first.id)}/overview`, { replace: true });
  }, [pathname, first]);

  if (me.error)
    return <div className="page-message error">Could not load your projects: {me.error.detail}</div>;
  if (!me.data) return <div className="page-message">Loading…</div>;
  for (const [pattern, Component] of routes) {
    const params = matchPath(pattern, pathname);
    if (params?.projectId !== undefined) {
      return (
        <Layout projects={me.data.projects} projectId={params.projectId} pathname={pathname}>
          <Component key={params.projectId} projectId={params.projectId} params={params} />
        </Layout>
      );
    }
  }
  if (me.data.projects.length === 0) {
    return (
      <div className="page-message">
        No project yet. Start phospho-server with <code>PHOSPHO_API_KEY</code> set, or{" "}
        <a href="/signin">sign in with a project API key</a>.
      </div>
    );
  }
  return pathname === "/" ? (
    <div className="page-message">Loading…</div>
  ) : (
    <div className="page-message">No page at {pathname}.</div>
  );
}

export function App() {
  const { pathname } = useLocation();
  if (pathname === "/signin") return <SignInPage />;
  return <SignedIn pathname={pathname} />;
}

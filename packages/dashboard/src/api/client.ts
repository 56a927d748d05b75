/** The one way the UI talks to the server: JSON over `/api`, errors as ApiError, 401 → the sign-in page. */
import { navigate } from "../lib/router";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: init.method ?? "GET",
    credentials: "same-origin",
    headers:
      init.body === undefined
        ? { accept: "application/json" }
        : { accept: "application/json", "content-type": "application/json" },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    ...(init.signal && { signal: init.signal }),
  });
  const body = (await response.json().catch(() => ({}))) as { detail?: string };
  if (response.status === 401 && !path.startsWith("/signin")) {
    const here = window.location.pathname + window.location.search;
    navigate(`/signin?next=${encodeURIComponent(here)}`, { replace: true });
  }
  if (!response.ok)
    throw new ApiError(response.status, body.detail ?? `${response.status} ${response.statusText}`);
  return body as T;
}

/** `/projects/{id}` with the id encoded; every project route starts with it. */
export function projectPath(projectId: string, rest: string): string {
  return `/projects/${encodeURIComponent(projectId)}${rest}`;
}

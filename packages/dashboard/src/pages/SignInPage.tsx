/** Sign in by pasting a project API key (the one-time link from the server's startup output also lands here on error). */
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { navigate, useLocation } from "../lib/router";
import { useTitle } from "../lib/useTitle";

const ERRORS: Record<string, string> = {
  invalid_token:
    "This sign-in link is invalid, expired or already used (a link works once, for one hour). Restart phospho-server for a fresh link, or paste a project API key below.",
};

/**
 * Where `next=` may lead after sign-in: a path of this origin, or nothing. Resolving it as a URL is what a
 * browser does, so `//host`, `/\host` and `https://host` all come out as another origin and are dropped.
 */
function sameOriginPath(next: string | null): string | null {
  if (!next?.startsWith("/")) return null;
  try {
    const url = new URL(next, window.location.origin);
    return url.origin === window.location.origin ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

export function SignInPage() {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const linkError = ERRORS[params.get("error") ?? ""];
  const next = params.get("next");
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle("Sign in");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { projectId } = await api<{ projectId: string }>("/signin", { method: "POST", body: { apiKey } });
      navigate(sameOriginPath(next) ?? `/projects/${encodeURIComponent(projectId)}/overview`);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(e) => void submit(e)}>
        <h1>phospho</h1>
        <p className="muted">
          Open the sign-in link that <code>phospho-server</code> printed when it started (it works once, for
          an hour), or paste a project API key to add that project to this browser.
        </p>
        {/* One message at a time: the key's own error replaces the link's. */}
        {linkError && !error && (
          <p className="error" role="alert">
            {linkError}
          </p>
        )}
        <label className="field">
          <span>Project API key</span>
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder="phk_…"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || apiKey.trim() === ""}>
          Sign in
        </button>
      </form>
    </main>
  );
}

/** Sign in by pasting a project API key (the one-time link from the server's startup output also lands here on error). */
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { navigate, useLocation } from "../lib/router";

const ERRORS: Record<string, string> = {
  invalid_token:
    "This sign-in link is invalid, expired or already used. Restart phospho-server for a fresh link, or paste an API key.",
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
    <div className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)}>
        <h1>phospho</h1>
        <p className="muted">
          Open the sign-in link that <code>phospho-server</code> printed when it started, or paste a project
          API key.
        </p>
        {linkError && <p className="error">{linkError}</p>}
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
        {error && <p className="error">{error}</p>}
        <button type="submit" disabled={busy || apiKey.trim() === ""}>
          Sign in
        </button>
      </form>
    </div>
  );
}

/** The project's model endpoint. The key field is write-only: the server never sends the key back. */
import { useState, type FormEvent } from "react";
import { api, projectPath } from "../../api/client";
import type { Endpoint } from "./types";

export function EndpointForm({
  projectId,
  endpoint,
  onSaved,
}: {
  projectId: string;
  endpoint: Endpoint;
  onSaved: () => void;
}) {
  const [baseUrl, setBaseUrl] = useState(endpoint.configured ? endpoint.base_url : "");
  const [model, setModel] = useState(endpoint.configured ? endpoint.model : "");
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api(projectPath(projectId, "/analytics/endpoint"), {
        method: "PUT",
        body: { base_url: baseUrl, model, ...(key !== "" && { api_key: key }) },
      });
      setKey("");
      onSaved();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <form className="card endpoint-form" onSubmit={(e) => void save(e)}>
      <h2>Model endpoint</h2>
      <p className="muted small">
        {endpoint.configured
          ? `${endpoint.model} at ${endpoint.base_url} (${endpoint.has_key ? "key set" : "no key"}, from ${endpoint.source})`
          : "None: LLM detectors are paused. Any OpenAI-compatible endpoint works."}
      </p>
      <label className="field">
        <span>Base URL</span>
        <input
          aria-label="Base URL"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          placeholder="http://127.0.0.1:11434/v1"
        />
      </label>
      <label className="field">
        <span>Model</span>
        <input aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} />
      </label>
      <label className="field">
        <span>API key</span>
        <input
          aria-label="API key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder={endpoint.configured && endpoint.has_key ? "(kept)" : ""}
        />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit">Save endpoint</button>
    </form>
  );
}

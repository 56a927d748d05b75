/** A new event definition: name, description, scope, and the detector with its settings. */
import { useState, type FormEvent } from "react";
import { api, projectPath } from "../../api/client";

const DETECTORS = [
  ["keywords", "Keywords"],
  ["regex", "Regex (RE2)"],
  ["llm_tagger", "LLM tagger (yes/no)"],
  ["llm_scorer", "LLM scorer (1–5)"],
  ["llm_classifier", "LLM classifier"],
] as const;
const SCOPES = ["input", "output", "both", "system_prompt", "session"] as const;

function list(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

export function DefinitionForm({ projectId, onCreated }: { projectId: string; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [scope, setScope] = useState<string>("input");
  const [detector, setDetector] = useState<string>("keywords");
  const [setting, setSetting] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const config =
      detector === "keywords"
        ? { keywords: list(setting) }
        : detector === "regex"
          ? { pattern: setting }
          : detector === "llm_classifier"
            ? { categories: list(setting) }
            : {};
    try {
      await api(projectPath(projectId, "/events"), {
        method: "POST",
        body: { name, description, scope, detector, config },
      });
      setName("");
      setDescription("");
      setSetting("");
      onCreated();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  const settingLabel =
    detector === "keywords"
      ? "Keywords (comma separated)"
      : detector === "regex"
        ? "Pattern"
        : detector === "llm_classifier"
          ? "Categories (comma separated)"
          : null;
  return (
    <form className="card definition-form" onSubmit={(e) => void create(e)}>
      <h2>New event</h2>
      <label className="field">
        <span>Name</span>
        <input aria-label="Event name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        <span>Description (the question an LLM detector is asked)</span>
        <input
          aria-label="Event description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Scope</span>
        <select aria-label="Scope" value={scope} onChange={(e) => setScope(e.target.value)}>
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Detector</span>
        <select aria-label="Detector" value={detector} onChange={(e) => setDetector(e.target.value)}>
          {DETECTORS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {settingLabel && (
        <label className="field">
          <span>{settingLabel}</span>
          <input aria-label="Detector setting" value={setting} onChange={(e) => setSetting(e.target.value)} />
        </label>
      )}
      {error && <p className="error">{error}</p>}
      <button type="submit">Create event</button>
    </form>
  );
}

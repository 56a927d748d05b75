/**
 * An event definition, new or edited: name, description, scope, the detector with its settings (keywords, RE2
 * pattern, LLM prompt and categories), the webhook and whether it runs. An edit is one PATCH of every field; the
 * server decides whether it changes what is detected and then starts a new version (the reply says which).
 */
import { useState, type FormEvent } from "react";
import { api, projectPath } from "../../api/client";
import type { DetectorConfig, EventDefinition } from "./types";

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

/** The text of the detector's one setting, as the form shows it. */
function settingOf(definition: EventDefinition | undefined): string {
  const config = definition?.config ?? {};
  return config.keywords?.join(", ") ?? config.pattern ?? config.categories?.join(", ") ?? "";
}

/**
 * The config the form describes. Settings it has no field for (a regex's `caseInsensitive`) are kept from the
 * definition while the detector stays the same, so that saving an untouched form changes nothing.
 */
function configOf(detector: string, setting: string, prompt: string, base: DetectorConfig): DetectorConfig {
  const config: DetectorConfig = {};
  if (detector === "keywords") config.keywords = list(setting);
  if (detector === "regex") {
    config.pattern = setting;
    if (base.caseInsensitive !== undefined) config.caseInsensitive = base.caseInsensitive;
  }
  if (detector === "llm_classifier") config.categories = list(setting);
  if (detector.startsWith("llm_") && prompt.trim() !== "") config.prompt = prompt;
  return config;
}

export function DefinitionForm({
  projectId,
  definition,
  onSaved,
  onCancel,
}: {
  projectId: string;
  /** The definition to edit; none for a new one. */
  definition?: EventDefinition | undefined;
  onSaved: (saved: EventDefinition) => void;
  onCancel?: (() => void) | undefined;
}) {
  const editing = definition !== undefined;
  const [name, setName] = useState(definition?.name ?? "");
  const [description, setDescription] = useState(definition?.description ?? "");
  const [scope, setScope] = useState<string>(definition?.scope ?? "input");
  const [detector, setDetector] = useState<string>(definition?.detector ?? "keywords");
  const [setting, setSetting] = useState(settingOf(definition));
  const [prompt, setPrompt] = useState(definition?.config.prompt ?? "");
  const [webhook, setWebhook] = useState(definition?.webhook_url ?? "");
  const [active, setActive] = useState(definition?.active ?? true);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaving(true);
    const base = definition && definition.detector === detector ? definition.config : {};
    const body = {
      name,
      description,
      scope,
      detector,
      config: configOf(detector, setting, prompt, base),
      webhook_url: webhook.trim() === "" ? null : webhook.trim(),
      active,
    };
    try {
      const saved = editing
        ? await api<EventDefinition>(projectPath(projectId, `/events/${encodeURIComponent(definition.id)}`), {
            method: "PATCH",
            body,
          })
        : await api<EventDefinition>(projectPath(projectId, "/events"), { method: "POST", body });
      if (!editing) {
        setName("");
        setDescription("");
        setSetting("");
        setPrompt("");
        setWebhook("");
        setActive(true);
      }
      onSaved(saved);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSaving(false);
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
    <form
      className="card definition-form"
      data-editing={editing ? definition.id : undefined}
      onSubmit={(e) => void save(e)}
    >
      <h2>{editing ? `Edit event “${definition.name}” (v${definition.version})` : "New event"}</h2>
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
      {detector.startsWith("llm_") && (
        <label className="field">
          <span>Prompt (optional; default: the description)</span>
          <textarea
            aria-label="LLM prompt"
            rows={3}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
          />
        </label>
      )}
      <label className="field">
        <span>Webhook URL (optional; called with each detection)</span>
        <input
          aria-label="Webhook URL"
          type="url"
          placeholder="https://…"
          value={webhook}
          onChange={(e) => setWebhook(e.target.value)}
        />
      </label>
      <label className="field checkbox">
        <input
          aria-label="Active"
          type="checkbox"
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
        <span>Active (unchecked: paused, nothing new is detected)</span>
      </label>
      {editing && (
        <p className="muted small">
          A change of scope, detector, settings, prompt (or an LLM detector’s description) starts version{" "}
          {definition.version + 1}: tasks from then on are detected with it; back-fill to re-run past ones.
        </p>
      )}
      {error && <p className="error">{error}</p>}
      <div className="actions">
        <button type="submit" disabled={saving}>
          {editing ? "Save event" : "Create event"}
        </button>
        {onCancel && (
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

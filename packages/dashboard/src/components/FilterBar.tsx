/**
 * Filters shared by Overview, Tasks and Users. Every control writes the URL query (replace, not push), and the
 * pages fetch from the URL, so the view and its link never disagree.
 */
import { useState, type KeyboardEvent } from "react";
import { projectPath } from "../api/client";
import type { Suggestion } from "../api/types";
import { ConditionForm, describeCondition } from "./conditions";
import { DEFAULT_RANGE, metaPair, splitMetaPair, useSearchParams } from "../lib/params";
import { useApi } from "../lib/useApi";

type Fields = Record<"model" | "version_id" | "environment" | "user_id", Suggestion[]>;

/** A text input that writes the URL on Enter, on blur, or when a suggestion is picked. */
function CommitInput(props: {
  name: string;
  label: string;
  value: string;
  list?: string;
  onCommit: (v: string) => void;
  placeholder?: string;
}) {
  const commit = (v: string) => {
    if (v.trim() !== props.value) props.onCommit(v.trim());
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        key={props.value}
        name={props.name}
        defaultValue={props.value}
        list={props.list}
        placeholder={props.placeholder ?? "any"}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === "Enter") commit(e.currentTarget.value);
        }}
      />
    </label>
  );
}

function Datalist({ id, items }: { id: string; items: Suggestion[] | undefined }) {
  return (
    <datalist id={id}>
      {(items ?? []).map((s) => (
        <option key={s.value} value={s.value}>
          {s.count} tasks
        </option>
      ))}
    </datalist>
  );
}

export function FilterBar({
  projectId,
  search = false,
  fields = true,
  defaultRange = DEFAULT_RANGE,
}: {
  projectId: string;
  search?: boolean;
  fields?: boolean;
  /** The range shown (and applied by the page) when the URL names none. */
  defaultRange?: string;
}) {
  const [params, update] = useSearchParams();
  const [metaKey, setMetaKey] = useState("");
  const [metaValue, setMetaValue] = useState("");
  const [folded, setFolded] = useState(true);
  // Suggestions read the whole project (distinct values): fetched once the reader turns to the filters, so
  // they never hold up the page's first rows.
  const [suggest, setSuggest] = useState(false);
  const suggestions = useApi<Fields>(
    fields && suggest ? projectPath(projectId, "/suggestions/fields") : null,
  );
  const metaKeys = useApi<{ keys: Suggestion[] }>(
    fields && suggest ? projectPath(projectId, "/suggestions/metadata-keys") : null,
  );
  const metaValues = useApi<{ values: Suggestion[] }>(
    fields && metaKey
      ? projectPath(projectId, `/suggestions/metadata-values?key=${encodeURIComponent(metaKey)}`)
      : null,
  );

  const set = (key: string, value: string | null) =>
    update((p) => {
      if (value === null || value === "") p.delete(key);
      else p.set(key, value);
    });
  const range = params.get("range") ?? (params.has("from") || params.has("to") ? "custom" : defaultRange);
  const metas = params.getAll("meta");

  function addMeta() {
    if (!metaKey.trim()) return;
    update((p) => p.append("meta", metaPair(metaKey.trim(), metaValue)));
    setMetaKey("");
    setMetaValue("");
  }

  return (
    <section
      className={`filters card ${folded ? "folded" : ""}`}
      aria-label="Filters"
      onFocus={() => setSuggest(true)}
      onPointerEnter={() => setSuggest(true)}
    >
      <button
        type="button"
        className="secondary filter-toggle"
        aria-expanded={!folded}
        onClick={() => setFolded(!folded)}
      >
        Filters{params.toString() ? " (active)" : ""}
      </button>
      {search && (
        <form
          className="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const value = new FormData(e.currentTarget).get("q");
            set("q", typeof value === "string" ? value.trim() : null);
          }}
        >
          <input
            key={params.get("q") ?? ""}
            name="q"
            type="search"
            placeholder="Search inputs and outputs…"
            defaultValue={params.get("q") ?? ""}
          />
          <button type="submit">Search</button>
        </form>
      )}
      <div className="filter-row">
        <label className="field">
          <span>Date range</span>
          <select
            name="range"
            value={range}
            onChange={(e) =>
              update((p) => {
                p.delete("from");
                p.delete("to");
                if (e.target.value === defaultRange) p.delete("range");
                else p.set("range", e.target.value);
              })
            }
          >
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="all">All time</option>
            <option value="custom">Custom…</option>
          </select>
        </label>
        {range === "custom" && (
          <>
            <label className="field">
              <span>From</span>
              <input
                name="from"
                type="date"
                value={params.get("from") ?? ""}
                onChange={(e) => set("from", e.target.value)}
              />
            </label>
            <label className="field">
              <span>To</span>
              <input
                name="to"
                type="date"
                value={params.get("to") ?? ""}
                onChange={(e) => set("to", e.target.value)}
              />
            </label>
          </>
        )}
        {fields && (
          <>
            <label className="field">
              <span>Flag</span>
              <select
                name="flag"
                value={params.get("flag") ?? ""}
                onChange={(e) => set("flag", e.target.value)}
              >
                <option value="">Any</option>
                <option value="success">Success</option>
                <option value="failure">Failure</option>
                <option value="none">No flag</option>
              </select>
            </label>
            <label className="field checkbox">
              <input
                name="has_notes"
                type="checkbox"
                checked={params.get("has_notes") === "1"}
                onChange={(e) => set("has_notes", e.target.checked ? "1" : null)}
              />
              <span>Has notes</span>
            </label>
            <CommitInput
              name="version_id"
              label="Version"
              value={params.get("version_id") ?? ""}
              list="dl-version"
              onCommit={(v) => set("version_id", v)}
            />
            <CommitInput
              name="user_id"
              label="User"
              value={params.get("user_id") ?? ""}
              list="dl-user"
              onCommit={(v) => set("user_id", v)}
            />
            <CommitInput
              name="model"
              label="Model"
              value={params.get("model") ?? ""}
              list="dl-model"
              onCommit={(v) => set("model", v)}
            />
            <CommitInput
              name="environment"
              label="Environment"
              value={params.get("environment") ?? ""}
              list="dl-env"
              onCommit={(v) => set("environment", v)}
            />
            <Datalist id="dl-version" items={suggestions.data?.version_id} />
            <Datalist id="dl-user" items={suggestions.data?.user_id} />
            <Datalist id="dl-model" items={suggestions.data?.model} />
            <Datalist id="dl-env" items={suggestions.data?.environment} />
          </>
        )}
      </div>
      {fields && (
        <div className="filter-row">
          <form
            className="meta-form"
            onSubmit={(e) => {
              e.preventDefault();
              addMeta();
            }}
          >
            <label className="field">
              <span>Metadata key</span>
              <input
                name="meta_key"
                list="dl-meta-keys"
                value={metaKey}
                onChange={(e) => setMetaKey(e.target.value)}
                placeholder="key"
              />
            </label>
            <span className="eq">=</span>
            <label className="field">
              <span>Value</span>
              <input
                name="meta_value"
                list="dl-meta-values"
                value={metaValue}
                onChange={(e) => setMetaValue(e.target.value)}
                placeholder="value"
              />
            </label>
            <button type="submit" className="secondary" disabled={!metaKey.trim()}>
              Add filter
            </button>
            <Datalist id="dl-meta-keys" items={metaKeys.data?.keys} />
            <Datalist id="dl-meta-values" items={metaValues.data?.values} />
          </form>
          <ConditionForm
            projectId={projectId}
            suggest={suggest}
            onAdd={(c) => update((p) => p.append("f", c))}
          />
          <div className="chips">
            {params.getAll("f").map((c, i) => (
              <button
                key={`f-${c}-${i}`}
                type="button"
                className="chip"
                data-condition={c}
                title="Remove this condition"
                onClick={() =>
                  update((p) => {
                    const rest = p.getAll("f").filter((_, j) => j !== i);
                    p.delete("f");
                    for (const r of rest) p.append("f", r);
                  })
                }
              >
                {describeCondition(c)} ×
              </button>
            ))}
            {metas.map((m, i) => (
              <button
                key={`${m}-${i}`}
                type="button"
                className="chip"
                title="Remove this filter"
                onClick={() =>
                  update((p) => {
                    const rest = p.getAll("meta").filter((_, j) => j !== i);
                    p.delete("meta");
                    for (const r of rest) p.append("meta", r);
                  })
                }
              >
                {(({ key, value }) => `${key} = ${value}`)(splitMetaPair(m))} ×
              </button>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * "Add a condition": a field (text, column, number or any metadata key), an operator that fits it, a value with
 * suggestions. Each condition becomes an `f` chip in the URL.
 */
import { useState } from "react";
import { projectPath } from "../../api/client";
import type { Suggestion } from "../../api/types";
import { useApi } from "../../lib/useApi";
import { encodeCondition, FIELDS, needsValue, NUMBER_OPS, TEXT_OPS } from "./conditions";

const SUGGESTED = ["model", "version_id", "user_id", "environment"] as const;

export function ConditionForm(props: {
  projectId: string;
  /** Fetch value suggestions (once the reader turns to the filters). */
  suggest: boolean;
  onAdd: (condition: string) => void;
}) {
  const [field, setField] = useState("output");
  const [metaKey, setMetaKey] = useState("");
  const [op, setOp] = useState("contains");
  const [value, setValue] = useState("");
  const numeric = FIELDS.find((f) => f.id === field)?.numeric === true;
  const ops = numeric ? NUMBER_OPS : TEXT_OPS;
  const actualField = field === "meta" ? `meta.${metaKey.trim()}` : field;
  const fields = useApi<Record<string, Suggestion[]>>(
    props.suggest ? projectPath(props.projectId, "/suggestions/fields") : null,
  );
  const keys = useApi<{ keys: Suggestion[] }>(
    props.suggest ? projectPath(props.projectId, "/suggestions/metadata-keys") : null,
  );
  const values = useApi<{ values: Suggestion[] }>(
    field === "meta" && metaKey.trim()
      ? projectPath(props.projectId, `/suggestions/metadata-values?key=${encodeURIComponent(metaKey.trim())}`)
      : null,
  );
  const suggestions =
    field === "meta"
      ? values.data?.values
      : (SUGGESTED as readonly string[]).includes(field)
        ? fields.data?.[field]
        : undefined;
  const ready = (field !== "meta" || metaKey.trim() !== "") && (!needsValue(op) || value.trim() !== "");

  return (
    <form
      className="condition-form"
      aria-label="Add a condition"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        props.onAdd(encodeCondition(op, actualField, value.trim()));
        setValue("");
      }}
    >
      <label className="field">
        <span>Field</span>
        <select
          name="cond_field"
          value={field}
          onChange={(e) => {
            setField(e.target.value);
            const isNumber = FIELDS.find((f) => f.id === e.target.value)?.numeric === true;
            setOp(isNumber ? "gte" : "contains");
          }}
        >
          {FIELDS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
          <option value="meta">Metadata key…</option>
        </select>
      </label>
      {field === "meta" && (
        <label className="field">
          <span>Key</span>
          <input
            name="cond_key"
            list="dl-cond-keys"
            value={metaKey}
            onChange={(e) => setMetaKey(e.target.value)}
          />
          <datalist id="dl-cond-keys">
            {(keys.data?.keys ?? []).map((k) => (
              <option key={k.value} value={k.value} />
            ))}
          </datalist>
        </label>
      )}
      <label className="field">
        <span>Condition</span>
        <select name="cond_op" value={op} onChange={(e) => setOp(e.target.value)}>
          {ops.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {needsValue(op) && (
        <label className="field">
          <span>{op === "in" ? "Values (comma-separated)" : "Value"}</span>
          <input
            name="cond_value"
            inputMode={numeric ? "decimal" : undefined}
            list="dl-cond-values"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <datalist id="dl-cond-values">
            {(suggestions ?? []).map((s) => (
              <option key={s.value} value={s.value} />
            ))}
          </datalist>
        </label>
      )}
      <button type="submit" className="secondary" disabled={!ready}>
        Add condition
      </button>
    </form>
  );
}

/** Column picker (built-ins and any metadata key), density and page size. */
import { useState } from "react";
import { projectPath } from "../../api/client";
import type { Suggestion } from "../../api/types";
import { useApi } from "../../lib/useApi";
import { BUILT_IN } from "./columns";
import { PAGE_SIZES, type TableConfig } from "./useTableConfig";

export function TableSettings(props: {
  projectId: string;
  config: TableConfig;
  onChange: (change: Partial<TableConfig>) => void;
}) {
  const { config, onChange } = props;
  const [open, setOpen] = useState(false);
  const keys = useApi<{ keys: Suggestion[] }>(
    open ? projectPath(props.projectId, "/suggestions/metadata-keys") : null,
  );
  const toggle = (id: string) =>
    onChange({
      columns: config.columns.includes(id) ? config.columns.filter((c) => c !== id) : [...config.columns, id],
    });
  const metaIds = new Set([
    ...(keys.data?.keys ?? []).map((k) => `meta:${k.value}`),
    ...config.columns.filter((c) => c.startsWith("meta:")),
  ]);
  return (
    <div className="table-settings">
      <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns
      </button>
      <label className="field inline">
        <span>Rows</span>
        <select
          name="page_size"
          value={config.pageSize}
          onChange={(e) => onChange({ pageSize: Number(e.target.value) })}
        >
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="secondary"
        aria-pressed={config.density === "comfortable"}
        onClick={() => onChange({ density: config.density === "compact" ? "comfortable" : "compact" })}
      >
        {config.density === "compact" ? "Comfortable rows" : "Compact rows"}
      </button>
      {open && (
        <fieldset className="card column-picker">
          <legend>Columns</legend>
          {BUILT_IN.map((c) => (
            <label key={c.id} className="checkbox">
              <input
                type="checkbox"
                name={`col-${c.id}`}
                checked={config.columns.includes(c.id)}
                onChange={() => toggle(c.id)}
              />
              {c.label}
            </label>
          ))}
          {[...metaIds].map((id) => (
            <label key={id} className="checkbox">
              <input
                type="checkbox"
                name={`col-${id}`}
                checked={config.columns.includes(id)}
                onChange={() => toggle(id)}
              />
              <span className="mono">{id.slice(5)}</span> <span className="muted small">metadata</span>
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

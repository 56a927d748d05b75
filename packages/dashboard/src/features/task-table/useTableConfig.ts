/** The table's columns, widths, density and page size, kept per project in local storage. */
import { useState } from "react";
import { DEFAULT_COLUMNS } from "./columns";

export interface TableConfig {
  columns: string[];
  widths: Record<string, number>;
  density: "compact" | "comfortable";
  pageSize: number;
}

export const PAGE_SIZES = [25, 50, 100, 200];
const DEFAULTS: TableConfig = { columns: DEFAULT_COLUMNS, widths: {}, density: "compact", pageSize: 50 };
const storageKey = (projectId: string) => `phospho.table.${projectId}`;

function load(projectId: string): TableConfig {
  try {
    const raw = window.localStorage.getItem(storageKey(projectId));
    if (!raw) return DEFAULTS;
    const parsed = JSON.parse(raw) as Partial<TableConfig>;
    return {
      columns: Array.isArray(parsed.columns)
        ? parsed.columns.filter((c) => typeof c === "string")
        : DEFAULTS.columns,
      widths: parsed.widths && typeof parsed.widths === "object" ? parsed.widths : {},
      density: parsed.density === "comfortable" ? "comfortable" : "compact",
      pageSize: PAGE_SIZES.includes(Number(parsed.pageSize)) ? Number(parsed.pageSize) : 50,
    };
  } catch {
    return DEFAULTS;
  }
}

export function useTableConfig(projectId: string): [TableConfig, (change: Partial<TableConfig>) => void] {
  const [state, setState] = useState(() => ({ projectId, config: load(projectId) }));
  const config = state.projectId === projectId ? state.config : load(projectId);
  const update = (change: Partial<TableConfig>) => {
    const next = { ...config, ...change };
    try {
      window.localStorage.setItem(storageKey(projectId), JSON.stringify(next));
    } catch {
      // private mode: kept for this page only
    }
    setState({ projectId, config: next });
  };
  return [config, update];
}

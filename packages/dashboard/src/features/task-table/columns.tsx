/** Every column the tasks table can show: built-in fields, and `meta:<key>` for any metadata key. */
import type { ReactNode } from "react";
import type { TaskListItem } from "../../api/types";
import { StepCount } from "../../components/StepCount";
import { EventBadges } from "../analytics";
import {
  formatCost,
  formatCount,
  formatDuration,
  formatTime,
  plainPreview,
  truncate,
} from "../../lib/format";

export interface Column {
  id: string;
  label: string;
  /** The API sort this header click toggles (`x` ascending, `-x` descending). */
  sort?: "created_at" | "latency_ms" | "total_tokens";
  numeric?: boolean;
  width: number;
  cell(t: TaskListItem): ReactNode;
}

const dash = <span className="muted">–</span>;
const text = (v: string | null | undefined) => (v ? v : dash);

export const BUILT_IN: Column[] = [
  { id: "time", label: "Time", sort: "created_at", width: 150, cell: (t) => formatTime(t.created_at) },
  { id: "input", label: "Input", width: 320, cell: (t) => plainPreview(t.input, 160) },
  {
    id: "output",
    label: "Output",
    width: 360,
    cell: (t) => (t.output === null ? <em className="muted">no output</em> : plainPreview(t.output, 180)),
  },
  { id: "flag", label: "Flag", width: 90, cell: () => null },
  // Language, sentiment and the events detected on the task (analytics), on one line.
  {
    id: "events",
    label: "Events",
    width: 200,
    cell: (t) => (t.analytics ? <EventBadges analytics={t.analytics} /> : null),
  },
  {
    id: "session",
    label: "Session",
    width: 120,
    cell: (t) => text(t.session_id && truncate(t.session_id, 18)),
  },
  { id: "user", label: "User", width: 110, cell: (t) => text(t.user_id && truncate(t.user_id, 18)) },
  { id: "model", label: "Model", width: 130, cell: (t) => text(t.model) },
  { id: "version", label: "Version", width: 110, cell: (t) => text(t.version_id) },
  { id: "environment", label: "Environment", width: 120, cell: (t) => text(t.environment) },
  {
    id: "tokens",
    label: "Tokens",
    sort: "total_tokens",
    numeric: true,
    width: 80,
    cell: (t) => formatCount(t.total_tokens),
  },
  {
    id: "latency",
    label: "Latency",
    sort: "latency_ms",
    numeric: true,
    width: 80,
    // A traced task's duration is its latency; its step count shows beside it.
    cell: (t) => (
      <>
        {formatDuration(t.latency_ms)}
        <StepCount count={t.step_count} />
      </>
    ),
  },
  { id: "cost", label: "Cost", numeric: true, width: 80, cell: (t) => formatCost(t.cost_usd) },
  { id: "steps", label: "Steps", numeric: true, width: 60, cell: (t) => formatCount(t.step_count ?? null) },
];

export const DEFAULT_COLUMNS = [
  "time",
  "input",
  "output",
  "flag",
  "events",
  "user",
  "model",
  "tokens",
  "latency",
];

function metaText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function columnFor(id: string): Column | undefined {
  if (id.startsWith("meta:")) {
    const key = id.slice(5);
    return {
      id,
      label: key,
      width: 120,
      cell: (t) => {
        const v = metaText(t.meta?.[key]);
        return v ? truncate(v, 60) : dash;
      },
    };
  }
  return BUILT_IN.find((c) => c.id === id);
}

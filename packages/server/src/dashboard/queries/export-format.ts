/** Row formatting for exports: one CSV line or one JSON line per task, with its analytics. */
import { truth } from "../../analytics/index.js";
import type { TaskRow } from "../../store/types.js";
import type { TaskAnalytics } from "../api-types.js";
import { parseObject } from "../../store/derive.js";
import { splitMetadata } from "./derived-keys.js";
import { presentTask } from "./tasks.js";

export const CSV_COLUMNS = [
  "id",
  "created_at",
  "session_id",
  "user_id",
  "version_id",
  "model",
  "environment",
  "input",
  "output",
  "flag",
  "notes",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "latency_ms",
  "ttft_ms",
  "status",
  "metadata",
  "cost_usd",
  "cost_source",
  "language",
  "sentiment_label",
  "sentiment_score",
  "events",
] as const;

/** Before the runner has analysed a task (or with analytics off). */
export const NO_ANALYTICS: TaskAnalytics = { language: null, sentiment: null, events: [] };

/**
 * The events a task has, as the team sees them: a removed detection is gone, a corrected one shows its correction,
 * a marked miss shows as present. One `{event_id, name, label, score}` per event.
 */
export function presentEvents(analytics: TaskAnalytics) {
  return analytics.events.flatMap((badge) => {
    const seen = truth(badge);
    return seen.present
      ? [{ event_id: badge.event_id, name: badge.name, label: seen.label, score: seen.score }]
      : [];
  });
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

export function csvLine(row: TaskRow, analytics: TaskAnalytics = NO_ANALYTICS): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    ...row,
    created_at: new Date(Number(row.created_at)).toISOString(),
    // The user's own keys only: the derived ones are columns of their own.
    metadata: JSON.stringify(splitMetadata(parseObject(row.metadata)).user),
    language: analytics.language,
    sentiment_label: analytics.sentiment?.label,
    sentiment_score: analytics.sentiment?.score,
    events: JSON.stringify(presentEvents(analytics)),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(values[c])).join(",")}\r\n`;
}

/** The task as `GET /tasks` shows it, with `analytics` as there (every badge, with its review). */
export function jsonLine(row: TaskRow, analytics: TaskAnalytics = NO_ANALYTICS): string {
  const task = presentTask(row);
  return `${JSON.stringify({ ...task, created_at: Number(task.created_at), received_at: Number(task.received_at), analytics })}\n`;
}

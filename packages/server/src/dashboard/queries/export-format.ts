/** Row formatting for exports: one CSV line or one JSON line per task. */
import type { TaskRow } from "../../store/types.js";
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
] as const;

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

export function csvLine(row: TaskRow): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    ...row,
    created_at: new Date(Number(row.created_at)).toISOString(),
    // The user's own keys only: the derived ones are columns of their own.
    metadata: JSON.stringify(splitMetadata(parseObject(row.metadata)).user),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(values[c])).join(",")}\r\n`;
}

export function jsonLine(row: TaskRow): string {
  const task = presentTask(row);
  return `${JSON.stringify({ ...task, created_at: Number(task.created_at), received_at: Number(task.received_at) })}\n`;
}

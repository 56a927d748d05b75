/**
 * How a task maps to its bucket. Dimension values are encoded so that null and every string stay distinct in a
 * NOT NULL primary key column: null is '', a value is '=' + value. `flag` is '' (none), 'success' or 'failure'.
 */
import type { TaskRow } from "../store/types.js";

export const HOUR_MS = 60 * 60 * 1000;

export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

export const DAY_MS = 24 * HOUR_MS;

/** The first ms of the UTC day of `ms`. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function encodeDimension(value: string | null): string {
  return value === null ? "" : `=${value}`;
}

export function decodeDimension(stored: string): string | null {
  return stored === "" ? null : stored.slice(1);
}

export interface BucketKey {
  hour: number;
  model: string;
  version_id: string;
  environment: string;
  flag: string;
}

export function bucketKeyOf(task: TaskRow): BucketKey {
  return {
    hour: hourOf(Number(task.created_at)),
    model: encodeDimension(task.model),
    version_id: encodeDimension(task.version_id),
    environment: task.environment,
    flag: task.flag ?? "",
  };
}

/** One string per key, for maps; NUL never occurs in stored text. */
export function keyString(key: BucketKey): string {
  return [key.hour, key.model, key.version_id, key.environment, key.flag].join("\u0000");
}

/** Cost as integer nano-USD, so that sums are exact under add and remove. */
export function costNano(costUsd: number | null): number {
  return costUsd === null ? 0 : Math.round(costUsd * 1e9);
}

/**
 * Keyset pagination over tasks. A page ends with a cursor holding the last row's sort key
 * `(sort value?, created_at, received_at, id)`; the next page starts strictly after it. No OFFSET, so page
 * 1,000 costs what page 1 costs.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import { DashboardError } from "../errors.js";

export const TASK_SORTS = [
  "-created_at",
  "created_at",
  "-latency_ms",
  "latency_ms",
  "-total_tokens",
  "total_tokens",
] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export type CursorValues = [number, number, string] | [number, number, number, string];

export interface SortPlan {
  descending: boolean;
  /** The extra leading column (nulls sort as -1), or null when sorting by time. */
  column: "latency_ms" | "total_tokens" | null;
  /**
   * SQLite only: write the time key as `+created_at` so the time index cannot serve the ORDER BY. Set when a
   * selective equality filter (a user, a session) has its own index: without statistics SQLite would rather
   * walk the whole project in time order than sort one user's rows (70 ms against 0.1 ms at 100k tasks).
   */
  avoidTimeIndex?: boolean;
}

export function sortPlan(sort: TaskSort, avoidTimeIndex = false): SortPlan {
  const descending = sort.startsWith("-");
  const name = descending ? sort.slice(1) : sort;
  return {
    descending,
    column: name === "created_at" ? null : (name as "latency_ms" | "total_tokens"),
    avoidTimeIndex,
  };
}

/** The sort key expressions, in order. */
export function sortKey(plan: SortPlan): RawBuilder<unknown>[] {
  const time = [
    plan.avoidTimeIndex ? sql`+tasks.created_at` : sql`tasks.created_at`,
    sql`tasks.received_at`,
    sql`tasks.id`,
  ];
  return plan.column ? [sql`coalesce(${sql.ref(`tasks.${plan.column}`)}, -1)`, ...time] : time;
}

export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, plan: SortPlan): CursorValues {
  const bad = new DashboardError(
    400,
    "invalid query parameter cursor: pass the nextCursor of a previous page unchanged",
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw bad;
  }
  const length = plan.column ? 4 : 3;
  if (!Array.isArray(parsed) || parsed.length !== length) throw bad;
  const numbers = parsed.slice(0, length - 1);
  if (
    // Integers only: every key column is a BIGINT, and PostgreSQL rejects "1.5" or "1e+300" for one.
    !numbers.every((n) => Number.isSafeInteger(n)) ||
    typeof parsed[length - 1] !== "string" ||
    (parsed[length - 1] as string).includes("\u0000")
  ) {
    throw bad;
  }
  return parsed as CursorValues;
}

/** `(key...) < (cursor...)` for a descending sort, `>` for ascending: row values work on SQLite and PostgreSQL. */
export function afterCursor(plan: SortPlan, values: CursorValues): Expression<SqlBool> {
  const keys = sql.join(sortKey(plan));
  const given = sql.join(values.map((v) => sql`${v}`));
  return plan.descending ? sql<SqlBool>`(${keys}) < (${given})` : sql<SqlBool>`(${keys}) > (${given})`;
}

/**
 * Ascending sorts list tasks without a value last. The sort index keys a missing value as -1 (first), so an
 * ascending page reads two sections of that index in turn, each one a range scan: the tasks with a value
 * (`>= 0`), then those without (`= -1`, in time order). A cursor holding -1 is in the second section.
 */
export function valueSection(plan: SortPlan, withValue: boolean): Expression<SqlBool> {
  const key = sql`coalesce(${sql.ref(`tasks.${plan.column ?? "latency_ms"}`)}, -1)`;
  return withValue ? sql<SqlBool>`${key} >= 0` : sql<SqlBool>`${key} = -1`;
}

/** Whether a sort reads its two sections apart (see valueSection). */
export function nullsLast(plan: SortPlan): boolean {
  return plan.column !== null && !plan.descending;
}

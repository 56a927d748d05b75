/**
 * How many tasks match: exact up to `EXACT_LIMIT`, "about N" above it. Counting a million matches costs a full
 * index walk on every filter change; the `EXACT_LIMIT`-th newest match costs a bounded walk and, with the range's
 * span, gives an estimate that assumes the matches arrive at a steady rate.
 */
import { sql } from "kysely";
import type { Store } from "../../store/types.js";
import type { TaskCount } from "../api-types.js";
import type { TaskFilters } from "./params.js";
import { taskWhere } from "./where.js";

/** Counts up to this many matches exactly. */
export const EXACT_LIMIT = 10_000;

export async function countTasks(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  now = Date.now(),
): Promise<TaskCount> {
  const where = taskWhere(store.dialect, projectId, filters);
  const edge = await store.db
    .selectFrom("tasks")
    .select("tasks.created_at")
    .where(where)
    .orderBy("tasks.created_at", "desc")
    .limit(1)
    .offset(EXACT_LIMIT)
    .executeTakeFirst();
  if (!edge) {
    const capped = store.db
      .selectFrom("tasks")
      .select(sql`1`.as("one"))
      .where(where)
      .limit(EXACT_LIMIT);
    const row = await store.db
      .selectFrom(capped.as("m"))
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirst();
    return { count: Number(row?.n ?? 0), exact: true };
  }
  const oldest =
    filters.from ??
    Number(
      (
        await store.db
          .selectFrom("tasks")
          .select(sql<number>`min(tasks.created_at)`.as("t"))
          .where("tasks.project_id", "=", projectId)
          .executeTakeFirst()
      )?.t ?? 0,
    );
  const end = Math.min(filters.to ?? now, now);
  const covered = Math.max(end - Number(edge.created_at), 1);
  const estimate = Math.round((EXACT_LIMIT * Math.max(end - oldest, covered)) / covered);
  return { count: Math.max(estimate, EXACT_LIMIT + 1), exact: false };
}

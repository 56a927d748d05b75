/** Users, derived from `tasks.user_id`: one row of aggregates per user, over the filtered tasks. */
import { sql } from "kysely";
import type { Store } from "../../store/types.js";
import type { UserSummary } from "../api-types.js";
import { forFullRead, type TaskFilters } from "./params.js";
import { taskWhere } from "./where.js";

export const USER_SORTS = ["last_seen", "first_seen", "tasks", "tokens"] as const;
export type UserSort = (typeof USER_SORTS)[number];

function aggregateQuery(store: Store, projectId: string, filters: TaskFilters) {
  return store.db
    .selectFrom("tasks")
    .where(taskWhere(store.dialect, projectId, filters))
    .where("tasks.user_id", "is not", null)
    .select([
      "tasks.user_id",
      sql<number>`count(*)`.as("tasks"),
      sql<number>`count(distinct tasks.session_id)`.as("sessions"),
      sql<number>`sum(case when tasks.flag = 'success' then 1 else 0 end)`.as("success"),
      sql<number>`sum(case when tasks.flag = 'failure' then 1 else 0 end)`.as("failure"),
      // `* 1.0`: summed as REAL (SQLite) or NUMERIC (PostgreSQL), so that no total can overflow 64 bits.
      sql<number>`coalesce(sum(tasks.total_tokens * 1.0), 0)`.as("tokens"),
      sql<number>`min(tasks.created_at)`.as("first_seen"),
      sql<number>`max(tasks.created_at)`.as("last_seen"),
    ])
    .groupBy("tasks.user_id");
}

function present(row: Record<string, unknown>): UserSummary {
  const success = Number(row.success);
  const failure = Number(row.failure);
  return {
    user_id: String(row.user_id),
    tasks: Number(row.tasks),
    sessions: Number(row.sessions),
    success,
    failure,
    success_rate: success + failure === 0 ? null : success / (success + failure),
    tokens: Number(row.tokens),
    first_seen: Number(row.first_seen),
    last_seen: Number(row.last_seen),
  };
}

/** Offset pages: the list is grouped, so there is no row key to page on; it is one row per user. */
export async function listUsers(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  page: { sort: UserSort; offset: number; limit: number },
) {
  const rows = await aggregateQuery(store, projectId, forFullRead(filters))
    .orderBy(sql.ref(page.sort), "desc")
    .orderBy("tasks.user_id", "asc")
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  return {
    users: rows.slice(0, page.limit).map(present),
    nextOffset: rows.length > page.limit ? page.offset + page.limit : null,
  };
}

export async function getUser(store: Store, projectId: string, userId: string): Promise<UserSummary | null> {
  const row = await aggregateQuery(store, projectId, { metadata: [], userId }).executeTakeFirst();
  return row ? present(row) : null;
}

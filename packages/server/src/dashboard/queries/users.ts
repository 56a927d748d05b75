/**
 * Users: one row per `user_id`. With no filter, read from the per-user aggregate kept at ingest (`agg_users`,
 * indexed by each sort); with filters, aggregated from the matching tasks. Sessions per user are the sessions
 * whose user it is, counted for the page's users only.
 */
import { sql } from "kysely";
import type { Store } from "../../store/types.js";
import type { ReadSource, UserSummary } from "../api-types.js";
import { forFullRead, type TaskFilters } from "./params.js";
import { taskWhere } from "./where.js";

export const USER_SORTS = ["last_seen", "first_seen", "tasks", "tokens"] as const;
export type UserSort = (typeof USER_SORTS)[number];

/** No filter at all: the whole project's users, which the aggregate holds. */
export function unfilteredUsers(f: TaskFilters): boolean {
  return (
    f.metadata.length === 0 &&
    !f.q &&
    !f.hasNotes &&
    f.from === undefined &&
    f.to === undefined &&
    f.flag === undefined &&
    f.versionId === undefined &&
    f.userId === undefined &&
    f.model === undefined &&
    f.environment === undefined &&
    f.sessionId === undefined &&
    !f.conditions?.length &&
    f.analytics === undefined
  );
}

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
      sql<number>`coalesce(sum(tasks.cost_usd), 0)`.as("cost_usd"),
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
    cost_usd: Number(row.cost_usd),
  };
}

/** The per-user aggregate rows, with their session counts from the sessions' user index. */
async function fromAggregate(
  store: Store,
  projectId: string,
  page: { sort: UserSort; offset: number; limit: number } | { userId: string },
) {
  let query = store.db
    .selectFrom("agg_users")
    .select([
      "user_id",
      "tasks",
      "success",
      "failure",
      "total_tokens as tokens",
      sql<number>`cost_nano / 1e9`.as("cost_usd"),
      "first_seen",
      "last_seen",
    ])
    .where("project_id", "=", projectId)
    // `+tasks` on SQLite: this condition must not pick the `tasks` index, which would sort every user of the
    // project to return a page that the sort's own index returns in order (51 rows walked instead of all).
    .where(store.dialect === "sqlite" ? sql<number>`+tasks` : sql<number>`tasks`, ">", 0);
  if ("userId" in page) query = query.where("user_id", "=", page.userId);
  else {
    const column = page.sort === "tokens" ? "total_tokens" : page.sort;
    query = query
      .orderBy(column, "desc")
      .orderBy("user_id", "asc")
      .limit(page.limit + 1)
      .offset(page.offset);
  }
  const rows = await query.execute();
  const ids = rows.map((row) => row.user_id);
  const counts =
    ids.length === 0
      ? []
      : await store.db
          .selectFrom("sessions")
          .select(["user_id", sql<number>`count(*)`.as("n")])
          .where("project_id", "=", projectId)
          .where("user_id", "in", ids)
          .groupBy("user_id")
          .execute();
  const sessions = new Map(counts.map((row) => [row.user_id, Number(row.n)]));
  return rows.map((row) => ({ ...row, sessions: sessions.get(row.user_id) ?? 0 }));
}

/** Offset pages: the list is grouped, so there is no row key to page on; it is one row per user. */
export async function listUsers(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  page: { sort: UserSort; offset: number; limit: number },
): Promise<{ users: UserSummary[]; nextOffset: number | null; source: ReadSource }> {
  const aggregated = unfilteredUsers(filters);
  const rows = aggregated
    ? await fromAggregate(store, projectId, page)
    : await aggregateQuery(store, projectId, forFullRead(filters))
        .orderBy(sql.ref(page.sort), "desc")
        .orderBy("tasks.user_id", "asc")
        .limit(page.limit + 1)
        .offset(page.offset)
        .execute();
  const users = rows.slice(0, page.limit).map(present);
  return {
    users,
    nextOffset: rows.length > page.limit ? page.offset + page.limit : null,
    source: aggregated
      ? { kind: "aggregates", edge_tasks: 0, latency: "exact", relative_accuracy: 0, distinct: "aggregates" }
      : { kind: "tasks", exact: true, rows: users.reduce((sum, user) => sum + user.tasks, 0) },
  };
}

export async function getUser(store: Store, projectId: string, userId: string): Promise<UserSummary | null> {
  const [row] = await fromAggregate(store, projectId, { userId });
  return row ? present(row) : null;
}

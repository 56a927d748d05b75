/**
 * How many tasks, sessions or users match: exact when counting is cheap, "about N" above a bound. Counting a
 * million matches costs a full index walk on every filter change; the `EXACT_LIMIT`-th newest match costs a
 * bounded walk and, with the range's span, gives an estimate that assumes the matches arrive at a steady rate.
 */
import { sql, type SelectQueryBuilder } from "kysely";
import { countUsers } from "../../aggregates/index.js";
import type { Store } from "../../store/types.js";
import type { MatchCount } from "../api-types.js";
import type { TaskFilters } from "./params.js";
import { filteredSessions, type SessionFilters } from "./sessions.js";
import { unfilteredUsers } from "./users.js";
import { taskWhere } from "./where.js";

/** Counts up to this many matching tasks or sessions exactly. */
export const EXACT_LIMIT = 10_000;
/** Users are counted exactly over up to this many matching tasks (a distinct count needs every row). */
export const USER_TASKS_LIMIT = 50_000;

/**
 * Matches over the whole range when `limit` of them, the newest, reach back to `edge`: the range is
 * `[start, end]`, and the matches are assumed to arrive at a steady rate.
 */
export function spanEstimate(limit: number, edge: number, start: number, end: number): number {
  const covered = Math.max(end - edge, 1);
  return Math.max(Math.round((limit * Math.max(end - start, covered)) / covered), limit + 1);
}

/** `count(*)` over at most `limit` rows of `rows`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table: only its row count is read
async function cappedCount(store: Store, rows: SelectQueryBuilder<any, any, any>, limit: number) {
  const row = await store.db
    .selectFrom(
      rows
        .select(sql`1`.as("one"))
        .limit(limit)
        .as("m"),
    )
    .select(sql<number>`count(*)`.as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function countTasks(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  now = Date.now(),
  limit = EXACT_LIMIT,
): Promise<MatchCount> {
  const matching = () => store.db.selectFrom("tasks").where(taskWhere(store.dialect, projectId, filters));
  const edge = await matching()
    .select("tasks.created_at")
    .orderBy("tasks.created_at", "desc")
    .limit(1)
    .offset(limit)
    .executeTakeFirst();
  if (!edge) return { count: await cappedCount(store, matching(), limit), exact: true };
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
  return { count: spanEstimate(limit, Number(edge.created_at), oldest, end), exact: false };
}

/** Sessions as the list filters them: by last activity in the range, user, part of the id, analytics. */
export async function countSessions(
  store: Store,
  projectId: string,
  filters: SessionFilters,
  now = Date.now(),
  limit = EXACT_LIMIT,
): Promise<MatchCount> {
  const edge = await filteredSessions(store, projectId, filters)
    .select("last_message_ts")
    .orderBy("last_message_ts", "desc")
    .limit(1)
    .offset(limit)
    .executeTakeFirst();
  if (!edge) {
    const rows = filteredSessions(store, projectId, filters);
    return { count: await cappedCount(store, rows, limit), exact: true };
  }
  const oldest =
    filters.from ??
    Number(
      (
        await store.db
          .selectFrom("sessions")
          .select(sql<number>`min(last_message_ts)`.as("t"))
          .where("project_id", "=", projectId)
          .executeTakeFirst()
      )?.t ?? 0,
    );
  const end = Math.min(filters.to ?? now, now);
  return { count: spanEstimate(limit, Number(edge.last_message_ts), oldest, end), exact: false };
}

/**
 * Users as the list groups them: one per `user_id` of the matching tasks. Without a filter, exact from the
 * per-user aggregate. With filters, exact when at most `USER_TASKS_LIMIT` tasks with a user match; above, the
 * distinct users among the newest `USER_TASKS_LIMIT` matches scaled to the estimated matches, capped by the users
 * whose first-to-last span meets the range (every user with a matching task is one of them).
 */
export async function countMatchingUsers(
  store: Store,
  projectId: string,
  filters: TaskFilters,
  now = Date.now(),
  limit = USER_TASKS_LIMIT,
): Promise<MatchCount> {
  if (unfilteredUsers(filters)) {
    const row = await store.db
      .selectFrom("agg_users")
      .select(sql<number>`count(*)`.as("n"))
      .where("project_id", "=", projectId)
      .where("tasks", ">", 0)
      .executeTakeFirst();
    return { count: Number(row?.n ?? 0), exact: true };
  }
  const newest = store.db
    .selectFrom("tasks")
    .select(["tasks.user_id", "tasks.created_at"])
    .where(taskWhere(store.dialect, projectId, filters))
    .where("tasks.user_id", "is not", null)
    .orderBy("tasks.created_at", "desc")
    .limit(limit + 1);
  const sample = await store.db
    .selectFrom(newest.as("s"))
    .select([
      sql<number>`count(*)`.as("n"),
      sql<number>`count(distinct s.user_id)`.as("users"),
      sql<number>`min(s.created_at)`.as("edge"),
    ])
    .executeTakeFirst();
  const n = Number(sample?.n ?? 0);
  const users = Number(sample?.users ?? 0);
  if (n <= limit) return { count: users, exact: true };
  const end = Math.min(filters.to ?? now, now);
  const [inSpan, oldest] = await Promise.all([
    countUsers(store.db, projectId, filters.from, filters.to),
    filters.from ??
      store.db
        .selectFrom("tasks")
        .select(sql<number>`min(tasks.created_at)`.as("t"))
        .where("tasks.project_id", "=", projectId)
        .executeTakeFirst()
        .then((row) => Number(row?.t ?? 0)),
  ]);
  // The sample holds `limit + 1` tasks; the newest `limit` reach back to about its oldest.
  const matches = spanEstimate(limit, Number(sample?.edge ?? end), oldest, end);
  const scaled = Math.round((users * matches) / limit);
  return { count: Math.max(users, Math.min(scaled, inSpan)), exact: false };
}

/** Sessions: a keyset list by last activity (with each session's analytics roll-up), and one session with its transcript and per-task feedback. */
import { sql } from "kysely";
import { sessionAnalyticsCondition, type AnalyticsFilters } from "../../analytics/filters.js";
import { sessionAnalyticsProbes, withSessionAnalytics } from "../../analytics/reads.js";
import { numberInOrder } from "../../store/positions.js";
import type { SessionRow, Store, TaskRow } from "../../store/types.js";
import type { SessionDetail, SessionPage } from "../api-types.js";
import { DashboardError } from "../errors.js";
import { feedbackHistory, presentTask } from "./tasks.js";

export interface SessionFilters {
  from?: number;
  to?: number;
  userId?: string;
  /** Part of the session id, case-sensitive. */
  q?: string;
  /** Event, language and sentiment (analytics/filters.ts). */
  analytics?: AnalyticsFilters;
  /** Sessions with a task flagged `success`, with one flagged `failure`, or with no flagged task. */
  feedback?: "success" | "failure" | "none";
}

/** Longest transcript returned in one session view. */
export const TRANSCRIPT_LIMIT = 1000;
/** Most task text (input, output, raw input and output, metadata) one transcript carries, in characters. */
export const TRANSCRIPT_CHARS = 16 * 1024 * 1024;
const TRANSCRIPT_PAGE = 50;

function presentSession(row: SessionRow) {
  let metadata: unknown = {};
  try {
    metadata = JSON.parse(row.metadata);
  } catch {
    metadata = {};
  }
  return {
    ...row,
    metadata,
    created_at: Number(row.created_at),
    last_message_ts: Number(row.last_message_ts),
    session_length: Number(row.session_length),
    prompt_tokens: Number(row.prompt_tokens),
    completion_tokens: Number(row.completion_tokens),
    total_tokens: Number(row.total_tokens),
    success_count: Number(row.success_count),
    failure_count: Number(row.failure_count),
    cost_nano: Number(row.cost_nano),
    cost_usd: Number(row.cost_nano) / 1e9,
  };
}

const PROBES = new Set(["has_analysed_task", "has_task_detection", "has_session_detection"]);

/**
 * The session row without the probe columns, its keys in order. Copied key by key: an object rest
 * (`{ a, ...row }`) takes V8's slow generic path, which a profile showed as 13 % of a sessions page's CPU.
 */
function withoutProbes(row: SessionRow): SessionRow {
  const out: Record<string, unknown> = {};
  for (const key in row) if (!PROBES.has(key)) out[key] = row[key as keyof SessionRow];
  return out as unknown as SessionRow;
}

function decodeSessionCursor(cursor: string): [number, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    // A safe integer (the column is a BIGINT) and an id without NUL (PostgreSQL text cannot hold one).
    if (
      Array.isArray(parsed) &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === "string" &&
      !parsed[1].includes("\u0000")
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new DashboardError(
    400,
    "invalid query parameter cursor: pass the nextCursor of a previous page unchanged",
  );
}

/** The sessions that match the filters (a range applies to their last activity), for the list and its count. */
export function filteredSessions(store: Store, projectId: string, filters: SessionFilters) {
  let query = store.db.selectFrom("sessions").where("project_id", "=", projectId);
  if (filters.from !== undefined) query = query.where("last_message_ts", ">=", filters.from);
  if (filters.to !== undefined) query = query.where("last_message_ts", "<=", filters.to);
  if (filters.userId !== undefined) query = query.where("user_id", "=", filters.userId);
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`sessions.id LIKE ${pattern} ESCAPE '\\'`);
  }
  if (filters.feedback === "success") query = query.where("success_count", ">", 0);
  else if (filters.feedback === "failure") query = query.where("failure_count", ">", 0);
  else if (filters.feedback === "none")
    query = query.where("success_count", "=", 0).where("failure_count", "=", 0);
  const analytics = filters.analytics && sessionAnalyticsCondition(filters.analytics);
  if (analytics) query = query.where(analytics);
  return query;
}

export async function listSessions(
  store: Store,
  projectId: string,
  filters: SessionFilters,
  page: { cursor?: string | undefined; limit: number },
): Promise<SessionPage> {
  let query = filteredSessions(store, projectId, filters).selectAll();
  if (page.cursor) {
    const [ts, id] = decodeSessionCursor(page.cursor);
    query = query.where((eb) => eb(eb.refTuple("last_message_ts", "id"), "<", eb.tuple(ts, id)));
  }
  // With a user, `+last_message_ts` on SQLite makes it use the user index rather than walk all sessions.
  const byUser = filters.userId !== undefined && store.dialect === "sqlite";
  const inner = query
    .orderBy(byUser ? sql`+sessions.last_message_ts` : sql`sessions.last_message_ts`, "desc")
    .orderBy("id", "desc")
    .limit(page.limit + 1);
  // The page as before, each row with what its roll-up needs read (see sessionAnalyticsProbes).
  const rows = await store.db
    .selectFrom(inner.as("sessions"))
    .selectAll("sessions")
    .select(sessionAnalyticsProbes(projectId))
    .orderBy(sql`sessions.last_message_ts`, "desc")
    .orderBy(sql`sessions.id`, "desc")
    .execute();
  const shown = rows.slice(0, page.limit);
  const sessions = shown.map((row) => presentSession(withoutProbes(row)));
  const last = sessions.at(-1);
  const nextCursor =
    rows.length > page.limit && last
      ? Buffer.from(JSON.stringify([last.last_message_ts, last.id])).toString("base64url")
      : null;
  const having = (probe: "has_analysed_task" | "has_task_detection" | "has_session_detection") =>
    shown.filter((row) => Number(row[probe]) === 1).map((row) => row.id);
  // The badges: read for this page's sessions only (at most `limit`), grouped in the database.
  const analytics = await withSessionAnalytics(store.db, projectId, sessions, {
    analysed: having("has_analysed_task"),
    taskDetections: having("has_task_detection"),
    sessionDetections: having("has_session_detection"),
  });
  return { sessions: analytics, nextCursor };
}

export async function getSessionDetail(
  store: Store,
  projectId: string,
  sessionId: string,
): Promise<SessionDetail | null> {
  const session = await store.getSession(projectId, sessionId);
  if (!session) return null;
  // Read page by page and stop at TRANSCRIPT_CHARS, so that a session of large tasks never builds a reply of
  // gigabytes (600 tasks of 1 MB used to fail with "Invalid string length").
  const rows: TaskRow[] = [];
  let chars = 0;
  let truncated = false;
  while (!truncated && rows.length < TRANSCRIPT_LIMIT) {
    const page = await store.db
      .selectFrom("tasks")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("session_id", "=", sessionId)
      // `+created_at` on SQLite: use the session index and sort its few rows, not the project's time index.
      .orderBy(store.dialect === "sqlite" ? sql`+tasks.created_at` : sql`tasks.created_at`, "asc")
      .orderBy("received_at", "asc")
      .orderBy("id", "asc")
      .limit(Math.min(TRANSCRIPT_PAGE, TRANSCRIPT_LIMIT - rows.length))
      .offset(rows.length)
      .execute();
    for (const row of page) {
      const size =
        row.input.length +
        (row.output?.length ?? 0) +
        (row.raw_input?.length ?? 0) +
        (row.raw_output?.length ?? 0) +
        row.metadata.length;
      if (rows.length > 0 && chars + size > TRANSCRIPT_CHARS) {
        truncated = true;
        break;
      }
      rows.push(row);
      chars += size;
    }
    if (page.length < TRANSCRIPT_PAGE) break;
  }
  if (rows.length >= TRANSCRIPT_LIMIT) truncated = session.session_length > rows.length;
  const feedback = await feedbackHistory(
    store,
    projectId,
    rows.map((r) => r.id),
  );
  // The transcript starts at the session's first task, so positions are the order itself.
  return {
    session: presentSession(session),
    tasks: numberInOrder(rows, session.last_task_id).map((row) => ({
      ...presentTask(row),
      feedback: feedback.get(row.id) ?? [],
    })),
    ...(truncated && { truncated }),
  };
}

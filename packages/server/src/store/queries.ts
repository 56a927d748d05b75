/** The filtered list reads, shared by the v2 routes and the dashboard. */
import { sql, type ExpressionBuilder, type Expression, type SqlBool, type Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { Dialect, SessionFilters, SessionRow, TaskFilters, TaskRow } from "./types.js";

/** `%`, `_` and `\` taken literally in a LIKE pattern (with `ESCAPE '\'`). */
export function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The FTS5 query for a literal substring: one quoted string, inner quotes doubled. */
export function ftsPhrase(query: string): string {
  return `"${query.replace(/"/g, '""')}"`;
}

/** Most distinct trigrams an FTS5 candidate query names; more only narrows further, at a cost. */
const MAX_TRIGRAMS = 16;

/**
 * The FTS5 query that finds the candidates for a substring on SQLite: its distinct trigrams, ANDed. A phrase query
 * of the whole string costs (trigrams in the query) x (positions in each row): 500 identical letters against rows
 * holding long runs of that letter took 12 s to 113 s at 100,000 tasks, on the thread every request shares. An AND
 * of distinct terms only intersects posting lists; `sqliteSubstring` then checks the exact text of the candidates
 * (memcmp, fast even on those rows).
 */
export function ftsCandidates(query: string): string {
  const chars = [...query.toLowerCase()];
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length && trigrams.size < MAX_TRIGRAMS; i++) {
    trigrams.add(chars.slice(i, i + 3).join(""));
  }
  return [...trigrams].map((trigram) => ftsPhrase(trigram)).join(" AND ");
}

/** The exact, case-insensitive (ASCII) substring test of input or output on SQLite. */
export function sqliteSubstring(query: string): Expression<SqlBool> {
  const needle = query.toLowerCase();
  return sql<SqlBool>`(instr(lower(tasks.input), ${needle}) > 0 OR instr(lower(coalesce(tasks.output, '')), ${needle}) > 0)`;
}

/**
 * The SQLite rows that may hold `query` (3+ characters): those the full-text index matches, and every row still
 * waiting for the indexer (`search_pending`, migration 013), whose current text only the exact test that follows
 * can judge. A row is always in one or the other with its current text, so this never misses a task, the moment
 * its write commits; a stale index entry of a changed task is dropped by the exact test. `pinned` (`+rowid`)
 * keeps the candidate list from driving the plan (see dashboard/queries/where.ts).
 */
export function sqliteCandidates(query: string, pinned: boolean): Expression<SqlBool> {
  const rowid = pinned ? sql`+tasks.rowid` : sql`tasks.rowid`;
  // One list (UNION ALL), built once per query: an OR of two INs probed the log's B-tree for every row the index
  // did not match, 10% slower on a common phrase even with the log empty.
  return sql<SqlBool>`${rowid} IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ${ftsCandidates(query)} UNION ALL SELECT task_rowid FROM search_pending)`;
}

/** Case-insensitive substring of input or output, using the search index of each engine. */
export function searchCondition(
  dialect: Dialect,
  query: string,
): (eb: ExpressionBuilder<Database, "tasks">) => Expression<SqlBool> {
  if (dialect === "postgres") {
    return () =>
      sql<SqlBool>`(tasks.input || ' ' || coalesce(tasks.output, '')) ILIKE ${likePattern(query)} ESCAPE '\\'`;
  }
  if ([...query].length >= 3) {
    return () => sql<SqlBool>`(${sqliteCandidates(query, false)} AND ${sqliteSubstring(query)})`;
  }
  const pattern = likePattern(query);
  return () =>
    sql<SqlBool>`(tasks.input LIKE ${pattern} ESCAPE '\\' OR coalesce(tasks.output, '') LIKE ${pattern} ESCAPE '\\')`;
}

/** Exact JSON equality of one metadata key. Keys containing `"` are refused by validation. */
export function metadataEquals(dialect: Dialect, key: string, value: unknown): Expression<SqlBool> {
  const json = JSON.stringify(value ?? null);
  if (dialect === "postgres") return sql<SqlBool>`(tasks.metadata::jsonb -> ${key}) = ${json}::jsonb`;
  return sql<SqlBool>`(tasks.metadata -> ${`$."${key}"`}) = json(${json})`;
}

export async function listTasks(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  filters: TaskFilters,
  limit: number,
  offset = 0,
): Promise<TaskRow[]> {
  let query = db.selectFrom("tasks").selectAll("tasks").where("tasks.project_id", "=", projectId);
  if (filters.createdAtStart !== undefined)
    query = query.where("tasks.created_at", ">=", filters.createdAtStart);
  if (filters.createdAtEnd !== undefined) query = query.where("tasks.created_at", "<=", filters.createdAtEnd);
  if (filters.flag !== undefined) query = query.where("tasks.flag", "=", filters.flag);
  if (filters.versionId !== undefined) query = query.where("tasks.version_id", "=", filters.versionId);
  if (filters.userId !== undefined) query = query.where("tasks.user_id", "=", filters.userId);
  if (filters.sessionId !== undefined) query = query.where("tasks.session_id", "=", filters.sessionId);
  if (filters.taskIds !== undefined) {
    if (filters.taskIds.length === 0) return [];
    query = query.where("tasks.id", "in", filters.taskIds);
  }
  if (filters.sessionIds !== undefined) {
    if (filters.sessionIds.length === 0) return [];
    query = query.where("tasks.session_id", "in", filters.sessionIds);
  }
  if (filters.hasNotes === true)
    query = query.where("tasks.notes", "is not", null).where("tasks.notes", "!=", "");
  if (filters.hasNotes === false)
    query = query.where((eb) => eb.or([eb("tasks.notes", "is", null), eb("tasks.notes", "=", "")]));
  for (const [key, value] of Object.entries(filters.metadata ?? {})) {
    query = query.where(metadataEquals(dialect, key, value));
  }
  if (filters.search) query = query.where(searchCondition(dialect, filters.search));
  return query
    .orderBy("tasks.created_at", "desc")
    .orderBy("tasks.received_at", "desc")
    .orderBy("tasks.id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function listSessions(
  db: Kysely<Database>,
  projectId: string,
  filters: SessionFilters,
  limit: number,
): Promise<SessionRow[]> {
  let query = db.selectFrom("sessions").selectAll().where("project_id", "=", projectId);
  if (filters.createdAtStart !== undefined) query = query.where("created_at", ">=", filters.createdAtStart);
  if (filters.createdAtEnd !== undefined) query = query.where("created_at", "<=", filters.createdAtEnd);
  if (filters.userId !== undefined) query = query.where("user_id", "=", filters.userId);
  if (filters.sessionIds !== undefined) {
    if (filters.sessionIds.length === 0) return [];
    query = query.where("id", "in", filters.sessionIds);
  }
  if (filters.hasNotes === true) query = query.where("notes", "is not", null).where("notes", "!=", "");
  return query.orderBy("last_message_ts", "desc").orderBy("id", "desc").limit(limit).execute();
}

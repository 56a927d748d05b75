/**
 * The WHERE clause every task query shares (list, charts, users, export), built from `TaskFilters`.
 * Search follows docs/ARCHITECTURE.md exactly: on SQLite FTS5 trigram plus the rows the indexer has not reached
 * yet (LIKE under 3 characters), and on PostgreSQL ILIKE over the same expression as the GIN trigram index, so
 * that the index is used.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import { analyticsCondition } from "../../analytics/filters.js";
import type { Database } from "../../store/schema.js";
import { sqliteCandidates, sqliteSubstring } from "../../store/queries.js";
import type { Dialect } from "../../store/types.js";
import { conditionSql } from "./conditions.js";
import type { TaskFilters } from "./params.js";

type TasksEb = ExpressionBuilder<Database, "tasks">;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchCondition(dialect: Dialect, q: string): Expression<SqlBool> {
  if (dialect === "postgres") {
    return sql<SqlBool>`(tasks.input || ' ' || coalesce(tasks.output, '')) ILIKE ${likePattern(q)} ESCAPE '\\'`;
  }
  if ([...q].length >= 3) {
    // `+rowid`: the match list is tested per row, never used to drive the query. With ANALYZE statistics SQLite
    // would otherwise fetch every match by rowid and sort them (a common word: 430 ms against 50 ms at 100k).
    // Candidates by distinct trigrams, then the exact text: bounded work for any query (store/queries.ts).
    // Rows still waiting for the indexer are candidates too (store/queries.ts), so a new task is found at once.
    return sql<SqlBool>`(${sqliteCandidates(q, true)} AND ${sqliteSubstring(q)})`;
  }
  const pattern = likePattern(q);
  return sql<SqlBool>`(tasks.input LIKE ${pattern} ESCAPE '\\' OR tasks.output LIKE ${pattern} ESCAPE '\\')`;
}

/** A JSON number as PostgreSQL's jsonb accepts it (and prints it: `->>` of a number is always of this form). */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The `{key: v}` documents that contain every row whose `metadata ->> key` is `value`: the value as a string,
 * and as the number or boolean it spells. Containment is looser than text equality (1.5 contains 1.50), so the
 * caller keeps the exact test; containment only lets the GIN index of migration 004 find the candidates.
 */
export function containmentCandidates(key: string, value: string): string[] {
  const name = JSON.stringify(key);
  const out = [JSON.stringify({ [key]: value })];
  if (value === "true" || value === "false" || JSON_NUMBER.test(value)) out.push(`{${name}:${value}}`);
  return out;
}

/** `metadata[key]` as text equals `value` (JSON true/false compare as "true"/"false" on both engines). */
export function metadataEquals(dialect: Dialect, key: string, value: string): Expression<SqlBool> {
  if (dialect === "postgres") {
    const contains = sql.join(
      containmentCandidates(key, value).map((doc) => sql`tasks.metadata::jsonb @> ${doc}::jsonb`),
      sql` OR `,
    );
    return sql<SqlBool>`((${contains}) AND (tasks.metadata::jsonb ->> ${key}) = ${value})`;
  }
  // SQLite reads `\` in a quoted path label as an escape: a key's own backslash is written twice.
  const path = `$."${key.replace(/\\/g, "\\\\")}"`;
  return sql<SqlBool>`(CASE json_type(tasks.metadata, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
    ELSE CAST(json_extract(tasks.metadata, ${path}) AS TEXT) END) = ${value}`;
}

export function taskWhere(dialect: Dialect, projectId: string, f: TaskFilters) {
  return (eb: TasksEb): Expression<SqlBool> => {
    const conds: Expression<SqlBool>[] = [eb("tasks.project_id", "=", projectId)];
    if (f.from !== undefined) conds.push(eb("tasks.created_at", ">=", f.from));
    if (f.to !== undefined) conds.push(eb("tasks.created_at", "<=", f.to));
    if (f.flag === "none") conds.push(eb("tasks.flag", "is", null));
    else if (f.flag) conds.push(eb("tasks.flag", "=", f.flag));
    if (f.hasNotes) conds.push(eb("tasks.notes", "is not", null), eb("tasks.notes", "!=", ""));
    if (f.versionId !== undefined) conds.push(eb("tasks.version_id", "=", f.versionId));
    if (f.userId !== undefined) conds.push(eb("tasks.user_id", "=", f.userId));
    if (f.model !== undefined) conds.push(eb("tasks.model", "=", f.model));
    if (f.environment !== undefined) conds.push(eb("tasks.environment", "=", f.environment));
    if (f.sessionId !== undefined) conds.push(eb("tasks.session_id", "=", f.sessionId));
    for (const { key, value } of f.metadata) conds.push(metadataEquals(dialect, key, value));
    if (f.q) conds.push(searchCondition(dialect, f.q));
    const analytics = f.analytics && analyticsCondition(f.analytics);
    if (analytics) conds.push(analytics);
    for (const c of f.conditions ?? []) conds.push(conditionSql(dialect, c));
    return eb.and(conds);
  };
}

/**
 * Filters tested row by row, that no index orders by time: search and metadata pairs. A page with one of them
 * can walk the sort index and stop at the page's end, when enough rows match (see window.ts).
 */
export function rowFilters(f: TaskFilters): TaskFilters {
  const only: TaskFilters = { metadata: f.metadata };
  if (f.q) only.q = f.q;
  return only;
}

/** The filters without search and metadata: those an index serves. */
export function indexFilters(f: TaskFilters): TaskFilters {
  const { q: _search, ...rest } = f;
  return { ...rest, metadata: [] };
}

/** The row filters as one condition, for a derived table named `tasks` (PostgreSQL: no rowid needed). */
export function rowWhere(dialect: Dialect, f: TaskFilters): Expression<SqlBool> {
  const conds = f.metadata.map(({ key, value }) => metadataEquals(dialect, key, value));
  if (f.q) conds.push(searchCondition(dialect, f.q));
  return conds.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(conds, sql` AND `)})`;
}

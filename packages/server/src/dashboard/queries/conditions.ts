/**
 * Expressive filters: the repeatable `f` parameter, one condition each, `op:field=value`. The field is a text
 * field (`input`, `output`, `notes`), a column (`model`, `version_id`, `user_id`, `environment`,
 * `session_id`, `flag_source`), a number (`latency_ms`, `total_tokens`, `cost_usd`) or `meta.<key>`; `=` and
 * `\` in it are written `\=` and `\\` (as in `meta`). Ops: `contains`, `not_contains`, `eq`, `in` (value: a
 * JSON array of strings), `empty`, `not_empty` for text; `gte`, `lte`, `empty`, `not_empty` for numbers.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { Dialect } from "../../store/types.js";
import { DashboardError } from "../errors.js";

const TEXT_FIELDS = ["input", "output", "notes"] as const;
const COLUMNS = ["model", "version_id", "user_id", "environment", "session_id", "flag_source"] as const;
const NUMBERS = ["latency_ms", "total_tokens", "cost_usd"] as const;
const TEXT_OPS = ["contains", "not_contains", "eq", "in", "empty", "not_empty"] as const;
const NUMBER_OPS = ["gte", "lte", "empty", "not_empty"] as const;

export interface Condition {
  op: (typeof TEXT_OPS)[number] | (typeof NUMBER_OPS)[number];
  /** A text field, a column, a number, or `meta.<key>`. */
  field: string;
  value: string;
}

function bad(rule: string): DashboardError {
  return new DashboardError(400, `invalid query parameter f: ${rule}`);
}

/** Parses one `op:field=value`; throws a 400 naming `f` and the rule. */
export function parseCondition(text: string): Condition {
  const colon = text.indexOf(":");
  if (colon < 1) throw bad("must be op:field=value, e.g. contains:output=refund");
  const op = text.slice(0, colon);
  let field = "";
  let i = colon + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") field += text[++i] ?? "";
    else if (c === "=") break;
    else field += c;
  }
  const value = text.slice(i + 1);
  const numeric = (NUMBERS as readonly string[]).includes(field);
  const known =
    numeric ||
    (TEXT_FIELDS as readonly string[]).includes(field) ||
    (COLUMNS as readonly string[]).includes(field) ||
    (field.startsWith("meta.") && field.length > 5 && !field.includes('"'));
  if (!known)
    throw bad(
      `unknown field ${JSON.stringify(field)}: use input, output, notes, a column, a number or meta.<key>`,
    );
  const ops: readonly string[] = numeric ? NUMBER_OPS : TEXT_OPS;
  if (!ops.includes(op))
    throw bad(`op ${JSON.stringify(op)} does not apply to ${field}: use ${ops.join(", ")}`);
  if ((op === "gte" || op === "lte") && !/^-?\d+(\.\d+)?$/.test(value))
    throw bad(`${op} on ${field} needs a number`);
  if (op === "in") {
    let list: unknown;
    try {
      list = JSON.parse(value);
    } catch {
      list = null;
    }
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      list.length > 50 ||
      !list.every((v) => typeof v === "string")
    )
      throw bad("in needs a JSON array of 1 to 50 strings");
  }
  if ((op === "contains" || op === "not_contains" || op === "eq") && value.length === 0)
    throw bad(`${op} needs a value`);
  return { op: op as Condition["op"], field, value };
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The field as an SQL text (or number) expression. */
function expression(dialect: Dialect, field: string): RawBuilder<unknown> {
  if (field.startsWith("meta.")) {
    const key = field.slice(5);
    if (dialect === "postgres") return sql`(tasks.metadata::jsonb ->> ${key})`;
    const path = `$."${key.replace(/\\/g, "\\\\")}"`;
    return sql`(CASE json_type(tasks.metadata, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
      ELSE CAST(json_extract(tasks.metadata, ${path}) AS TEXT) END)`;
  }
  return sql.ref(`tasks.${field}`);
}

export function conditionSql(dialect: Dialect, c: Condition): Expression<SqlBool> {
  const e = expression(dialect, c.field);
  const like = dialect === "postgres" ? sql`ILIKE` : sql`LIKE`;
  switch (c.op) {
    case "contains":
      return sql<SqlBool>`(${e} ${like} ${likePattern(c.value)} ESCAPE '\\')`;
    case "not_contains":
      return sql<SqlBool>`(${e} IS NULL OR NOT (${e} ${like} ${likePattern(c.value)} ESCAPE '\\'))`;
    case "eq":
      return sql<SqlBool>`(${e} = ${c.value})`;
    case "in": {
      const values = (JSON.parse(c.value) as string[]).map((v) => sql`${v}`);
      return sql<SqlBool>`(${e} IN (${sql.join(values)}))`;
    }
    case "empty":
      return (NUMBERS as readonly string[]).includes(c.field)
        ? sql<SqlBool>`(${e} IS NULL)`
        : sql<SqlBool>`(${e} IS NULL OR ${e} = '')`;
    case "not_empty":
      return (NUMBERS as readonly string[]).includes(c.field)
        ? sql<SqlBool>`(${e} IS NOT NULL)`
        : sql<SqlBool>`(${e} IS NOT NULL AND ${e} <> '')`;
    case "gte":
      return sql<SqlBool>`(${e} >= ${Number(c.value)})`;
    case "lte":
      return sql<SqlBool>`(${e} <= ${Number(c.value)})`;
  }
}

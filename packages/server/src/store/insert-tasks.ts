/**
 * The multi-row INSERT of new tasks, with its SQL text built once per (engine, columns, row count) and kept.
 * Kysely's query builder walks every value of every row (37 columns × 200 rows) to parse and compile the same
 * statement shape each batch; a profile of ingest showed that as about 4 % of the collector's time. The text is
 * the same each time, so the prepared statement is reused as well (statement-cache.ts).
 */
import { CompiledQuery, type Transaction } from "kysely";
import type { Database } from "./schema.js";
import type { Dialect, TaskRow } from "./types.js";

const texts = new Map<string, string>();

function insertText(dialect: Dialect, columns: readonly string[], rows: number): string {
  const key = `${dialect}|${rows}|${columns.join(",")}`;
  let text = texts.get(key);
  if (text === undefined) {
    const values: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r += 1) {
      const marks = columns.map(() => (dialect === "postgres" ? `$${++n}` : "?"));
      values.push(`(${marks.join(", ")})`);
    }
    text =
      `insert into "tasks" (${columns.map((column) => `"${column}"`).join(", ")}) values ${values.join(", ")} ` +
      `on conflict ("project_id", "id") do nothing returning "id"`;
    // A few row counts and one column list in practice; bounded all the same.
    if (texts.size >= 1_000) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/**
 * Inserts the rows, skipping any whose `(project_id, id)` is already stored; returns the ids inserted. Every row
 * carries every column (they are built by `newTaskRow`); a column that is `undefined` in any row is an error.
 */
export async function insertTaskRows(
  trx: Transaction<Database>,
  dialect: Dialect,
  rows: readonly TaskRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const columns = Object.keys(rows[0]!) as Array<keyof TaskRow>;
  const parameters: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) throw new Error(`tasks.${column}: undefined in a row to insert`);
      parameters.push(value);
    }
  }
  const result = await trx.executeQuery<{ id: string }>(
    CompiledQuery.raw(insertText(dialect, columns, rows.length), parameters),
  );
  return new Set(result.rows.map((row) => row.id));
}

/**
 * The upsert of a batch's per-user deltas into `agg_users`, with its SQL text built once per (engine, row count)
 * and kept, as store/insert-tasks.ts does for new tasks: Kysely's builder walked every value of every row (9
 * columns, up to 200 rows) to parse and compile the same statement each batch, and a new text would also miss
 * the prepared-statement cache. Adds deltas (`x = x + excluded.x`); first and last seen widen only.
 */
import { CompiledQuery, type Transaction } from "kysely";
import type { AggUsersTable, Database } from "../store/schema.js";
import type { Dialect } from "../store/types.js";
import type { UserDelta } from "./contribution.js";

/** A row of `agg_users` without its project (one statement writes one project's rows). */
export type UserRow = Omit<AggUsersTable, "project_id">;

/** A user's sums as a row, with the first and last seen the caller decides (ingest widens, a rebuild sets). */
export function userRow(user: UserDelta, first_seen: number, last_seen: number): UserRow {
  const { user_id, tasks, success, failure, total_tokens, cost_nano } = user;
  return { user_id, tasks, success, failure, total_tokens, cost_nano, first_seen, last_seen };
}

const COLUMNS = [
  "project_id",
  "user_id",
  "tasks",
  "success",
  "failure",
  "total_tokens",
  "cost_nano",
  "first_seen",
  "last_seen",
] as const;
const SUMS = ["tasks", "success", "failure", "total_tokens", "cost_nano"] as const;

const texts = new Map<string, string>();

function upsertText(dialect: Dialect, rows: number): string {
  const key = `${dialect}|${rows}`;
  let text = texts.get(key);
  if (text === undefined) {
    const values: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r += 1) {
      const marks = COLUMNS.map(() => (dialect === "postgres" ? `$${++n}` : "?"));
      values.push(`(${marks.join(", ")})`);
    }
    const [least, greatest] = dialect === "postgres" ? ["LEAST", "GREATEST"] : ["min", "max"];
    const sets = [
      ...SUMS.map((column) => `"${column}" = "agg_users"."${column}" + excluded."${column}"`),
      `"first_seen" = ${least}("agg_users"."first_seen", excluded."first_seen")`,
      `"last_seen" = ${greatest}("agg_users"."last_seen", excluded."last_seen")`,
    ];
    text =
      `insert into "agg_users" (${COLUMNS.map((column) => `"${column}"`).join(", ")}) values ${values.join(", ")} ` +
      `on conflict ("project_id", "user_id") do update set ${sets.join(", ")}`;
    // One text per row count up to the chunk size: bounded all the same.
    if (texts.size >= 1_000) texts.clear();
    texts.set(key, text);
  }
  return text;
}

export async function upsertUsers(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  rows: readonly UserRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const parameters: unknown[] = [];
  for (const row of rows) {
    parameters.push(
      projectId,
      row.user_id,
      row.tasks,
      row.success,
      row.failure,
      row.total_tokens,
      row.cost_nano,
      row.first_seen,
      row.last_seen,
    );
  }
  await trx.executeQuery(CompiledQuery.raw(upsertText(dialect, rows.length), parameters));
}

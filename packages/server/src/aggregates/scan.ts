/** Reading every task, page by page (keyset), for the rebuild and the check: memory stays at one page. */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { TaskRow } from "../store/types.js";

const PAGE = 5000;

/** The columns a task's aggregate contribution reads. */
export const CONTRIBUTION_COLUMNS = [
  "project_id",
  "id",
  "session_id",
  "created_at",
  "received_at",
  "model",
  "version_id",
  "environment",
  "flag",
  "user_id",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "latency_ms",
] as const;

export type ContributionRow = Pick<TaskRow, (typeof CONTRIBUTION_COLUMNS)[number]>;

export async function* scanTasks(db: Kysely<Database>): AsyncGenerator<ContributionRow[]> {
  let after: [string, string] | null = null;
  for (;;) {
    let query = db.selectFrom("tasks").select([...CONTRIBUTION_COLUMNS]);
    if (after) {
      const [project, id] = after;
      query = query.where((eb) => eb(eb.refTuple("project_id", "id"), ">", eb.tuple(project, id)));
    }
    const rows = await query.orderBy("project_id").orderBy("id").limit(PAGE).execute();
    if (rows.length === 0) return;
    yield rows.map(normalise);
    const last = rows.at(-1)!;
    after = [last.project_id, last.id];
  }
}

/** PostgreSQL hands bigints over as numbers already (see connect.ts); doubles and counts stay numbers. */
function normalise(row: ContributionRow): ContributionRow {
  return { ...row, created_at: Number(row.created_at), received_at: Number(row.received_at) };
}

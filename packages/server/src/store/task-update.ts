/** Writing a changed task row back, shared by ingest (upsert.ts) and feedback or owner edits (feedback.ts). */
import type { Transaction } from "kysely";
import { changedColumns } from "./evals.js";
import type { Database } from "./schema.js";
import type { TaskRow } from "./types.js";

/** UPDATEs only the columns that differ (and `updated_at`); false, with no statement, when none does. */
export async function updateChangedColumns(
  trx: Transaction<Database>,
  before: TaskRow,
  after: TaskRow,
): Promise<boolean> {
  const changes = changedColumns(before, after);
  if (Object.keys(changes).length === 0) return false;
  await trx
    .updateTable("tasks")
    .set({ ...changes, updated_at: after.updated_at })
    .where("project_id", "=", after.project_id)
    .where("id", "=", after.id)
    .execute();
  return true;
}

/**
 * A task's place in its session, derived when read instead of stored, so that ingest never renumbers a session:
 * position = session length − (tasks of the session after it in `(created_at, received_at, id)` order), counted
 * through the session index from the end, where reads usually look; the last task is the session's
 * `last_task_id`. One statement per task, so the count and the length come from one snapshot.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { TaskRow } from "./types.js";

export async function withPositions(db: Kysely<Database>, rows: TaskRow[]): Promise<TaskRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      if (row.session_id === null) return { ...row, task_position: null, is_last_task: 0 };
      const found = await db
        .selectFrom("sessions as s")
        .select([
          "s.last_task_id",
          sql<number>`s.session_length - (SELECT count(*) FROM tasks a WHERE a.project_id = s.project_id AND a.session_id = s.id AND (a.created_at, a.received_at, a.id) > (${row.created_at}, ${row.received_at}, ${row.id}))`.as(
            "position",
          ),
        ])
        .where("s.project_id", "=", row.project_id)
        .where("s.id", "=", row.session_id)
        .executeTakeFirst();
      if (!found) return { ...row, task_position: null, is_last_task: 0 };
      return {
        ...row,
        task_position: Number(found.position),
        is_last_task: found.last_task_id === row.id ? 1 : 0,
      };
    }),
  );
}

/** A session read in order from `offset`: positions are the order itself. */
export function numberInOrder(rows: TaskRow[], lastTaskId: string | null, offset = 0): TaskRow[] {
  return rows.map((row, index) => ({
    ...row,
    task_position: offset + index + 1,
    is_last_task: row.id === lastTaskId ? 1 : 0,
  }));
}

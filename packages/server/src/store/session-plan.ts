/**
 * The session half of a batched ingest: the affected sessions recomputed in memory from their tasks (the batch's
 * merged rows plus the stored others), then written with one upsert per chunk.
 */
import type { Transaction } from "kysely";
import { parseObject } from "./derive.js";
import { chunks } from "./chunks.js";
import type { Database } from "./schema.js";
import { sessionMetadata, sessionValues, type SessionMember } from "./session-stats.js";
import { MEMBER_COLUMNS } from "./sessions.js";
import type { TaskRow } from "./types.js";

export interface SessionPlan {
  /** Tasks outside the batch whose position changed. */
  moved: Array<{ id: string; task_position: number; is_last_task: number }>;
  upserts: Array<{ id: string; values: ReturnType<typeof sessionValues> }>;
  emptied: string[];
}

/** Step 2: the affected sessions recomputed in memory; positions are written onto the batch's rows. */
export async function planSessions(
  trx: Transaction<Database>,
  projectId: string,
  rows: Map<string, TaskRow>,
  sessionIds: string[],
): Promise<SessionPlan> {
  const members = new Map<string, SessionMember[]>(sessionIds.map((id) => [id, []]));
  for (const part of chunks(sessionIds)) {
    const others = await trx
      .selectFrom("tasks")
      .select(MEMBER_COLUMNS)
      .where("project_id", "=", projectId)
      .where("session_id", "in", part)
      .execute();
    for (const task of others) if (!rows.has(task.id)) members.get(task.session_id!)!.push(task);
  }
  for (const row of rows.values()) {
    if (row.session_id !== null) members.get(row.session_id)!.push(row);
    else {
      row.task_position = null;
      row.is_last_task = 0;
    }
  }
  const plan: SessionPlan = { moved: [], upserts: [], emptied: [] };
  for (const [id, list] of members) {
    if (list.length === 0) {
      plan.emptied.push(id);
      continue;
    }
    const values = sessionValues(list);
    list.forEach((task, index) => {
      const position = index + 1;
      const isLast = index === list.length - 1 ? 1 : 0;
      const row = rows.get(task.id);
      if (row) {
        row.task_position = position;
        row.is_last_task = isLast;
      } else if (task.task_position !== position || task.is_last_task !== isLast) {
        plan.moved.push({ id: task.id, task_position: position, is_last_task: isLast });
      }
    });
    plan.upserts.push({ id, values });
  }
  return plan;
}

/** Step 3 for sessions: one read of their previous metadata, then upserts and deletions. */
export async function writeSessions(
  trx: Transaction<Database>,
  projectId: string,
  plan: SessionPlan,
): Promise<void> {
  const previous = new Map<string, string>();
  for (const part of chunks(plan.upserts.map((session) => session.id))) {
    const rows = await trx
      .selectFrom("sessions")
      .select(["id", "metadata"])
      .where("project_id", "=", projectId)
      .where("id", "in", part)
      .execute();
    for (const row of rows) previous.set(row.id, row.metadata);
  }
  for (const part of chunks(plan.upserts)) {
    const values = part.map(({ id, values }) => ({
      project_id: projectId,
      id,
      notes: null,
      ...values,
      metadata: sessionMetadata(parseObject(previous.get(id) ?? null), values),
    }));
    await trx
      .insertInto("sessions")
      .values(values)
      .onConflict((conflict) =>
        conflict.columns(["project_id", "id"]).doUpdateSet((eb) => ({
          created_at: eb.ref("excluded.created_at"),
          last_message_ts: eb.ref("excluded.last_message_ts"),
          session_length: eb.ref("excluded.session_length"),
          first_task_id: eb.ref("excluded.first_task_id"),
          last_task_id: eb.ref("excluded.last_task_id"),
          preview: eb.ref("excluded.preview"),
          user_id: eb.ref("excluded.user_id"),
          metadata: eb.ref("excluded.metadata"),
          prompt_tokens: eb.ref("excluded.prompt_tokens"),
          completion_tokens: eb.ref("excluded.completion_tokens"),
          total_tokens: eb.ref("excluded.total_tokens"),
          success_count: eb.ref("excluded.success_count"),
          failure_count: eb.ref("excluded.failure_count"),
        })),
      )
      .execute();
  }
  for (const part of chunks(plan.emptied)) {
    await trx.deleteFrom("sessions").where("project_id", "=", projectId).where("id", "in", part).execute();
  }
}

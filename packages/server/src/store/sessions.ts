/**
 * Session statistics, recomputed from the session's tasks inside the writing transaction. Recomputing (instead of
 * incrementing) is what makes a re-sent batch count nothing twice.
 */
import { sql, type Transaction } from "kysely";
import { parseObject } from "./derive.js";
import type { Database } from "./schema.js";
import type { Dialect } from "./types.js";

const PREVIEW_CHARS = 200;

export async function recomputeSession(
  trx: Transaction<Database>,
  dialect: Dialect,
  projectId: string,
  sessionId: string,
): Promise<void> {
  if (dialect === "postgres") {
    // Two replicas recomputing the same session must not interleave.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${projectId + "\u0001" + sessionId}))`.execute(trx);
  }
  const tasks = await trx
    .selectFrom("tasks")
    .select([
      "id",
      "created_at",
      "input",
      "user_id",
      "prompt_tokens",
      "completion_tokens",
      "total_tokens",
      "flag",
      "task_position",
      "is_last_task",
    ])
    .where("project_id", "=", projectId)
    .where("session_id", "=", sessionId)
    .orderBy("created_at")
    .orderBy("received_at")
    .orderBy("id")
    .execute();
  if (tasks.length === 0) {
    await trx
      .deleteFrom("sessions")
      .where("project_id", "=", projectId)
      .where("id", "=", sessionId)
      .execute();
    return;
  }
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let success = 0;
  let failure = 0;
  let lastMessage = 0;
  for (const [index, task] of tasks.entries()) {
    const position = index + 1;
    const isLast = index === tasks.length - 1 ? 1 : 0;
    if (task.task_position !== position || task.is_last_task !== isLast) {
      await trx
        .updateTable("tasks")
        .set({ task_position: position, is_last_task: isLast })
        .where("project_id", "=", projectId)
        .where("id", "=", task.id)
        .execute();
    }
    prompt += task.prompt_tokens ?? 0;
    completion += task.completion_tokens ?? 0;
    total += task.total_tokens ?? 0;
    if (task.flag === "success") success += 1;
    if (task.flag === "failure") failure += 1;
    lastMessage = Math.max(lastMessage, task.created_at);
  }
  const first = tasks[0]!;
  const last = tasks[tasks.length - 1]!;
  const previous = await trx
    .selectFrom("sessions")
    .select("metadata")
    .where("project_id", "=", projectId)
    .where("id", "=", sessionId)
    .executeTakeFirst();
  const metadata = {
    ...parseObject(previous?.metadata ?? null),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
  };
  const values = {
    created_at: first.created_at,
    last_message_ts: lastMessage,
    session_length: tasks.length,
    first_task_id: first.id,
    last_task_id: last.id,
    preview: first.input.slice(0, PREVIEW_CHARS),
    user_id: tasks.find((task) => task.user_id !== null)?.user_id ?? null,
    metadata: JSON.stringify(metadata),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    success_count: success,
    failure_count: failure,
  };
  await trx
    .insertInto("sessions")
    .values({ project_id: projectId, id: sessionId, notes: null, ...values })
    .onConflict((conflict) => conflict.columns(["project_id", "id"]).doUpdateSet(values))
    .execute();
}

/**
 * Session statistics as a pure function of the session's tasks: positions, first/last task, times, preview,
 * token totals and feedback counts. Used by the batched ingest path (tasks in memory) and by `recomputeSession`.
 */
import type { SessionsTable, TasksTable } from "./schema.js";

export const PREVIEW_CHARS = 200;

export type SessionMember = Pick<
  TasksTable,
  | "id"
  | "created_at"
  | "received_at"
  | "input"
  | "user_id"
  | "prompt_tokens"
  | "completion_tokens"
  | "total_tokens"
  | "flag"
  | "task_position"
  | "is_last_task"
>;

export type SessionValues = Omit<SessionsTable, "project_id" | "id" | "notes" | "metadata">;

/** The first characters, never cutting a surrogate pair in two. */
export function preview(input: string): string {
  const cut = input.slice(0, PREVIEW_CHARS);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** Conversation order: task time, then arrival, then id. */
export function compareMembers(a: SessionMember, b: SessionMember): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  if (a.received_at !== b.received_at) return a.received_at - b.received_at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorts `members` in place and returns the session's values; positions are read from the sorted order. */
export function sessionValues(members: SessionMember[]): SessionValues {
  members.sort(compareMembers);
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let success = 0;
  let failure = 0;
  let lastMessage = 0;
  for (const task of members) {
    prompt += task.prompt_tokens ?? 0;
    completion += task.completion_tokens ?? 0;
    total += task.total_tokens ?? 0;
    if (task.flag === "success") success += 1;
    if (task.flag === "failure") failure += 1;
    lastMessage = Math.max(lastMessage, task.created_at);
  }
  const first = members[0]!;
  const last = members[members.length - 1]!;
  return {
    created_at: first.created_at,
    last_message_ts: lastMessage,
    session_length: members.length,
    first_task_id: first.id,
    last_task_id: last.id,
    preview: preview(first.input),
    user_id: members.find((task) => task.user_id !== null)?.user_id ?? null,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    success_count: success,
    failure_count: failure,
  };
}

export function sessionMetadata(previous: Record<string, unknown>, values: SessionValues): string {
  return JSON.stringify({
    ...previous,
    prompt_tokens: values.prompt_tokens,
    completion_tokens: values.completion_tokens,
    total_tokens: values.total_tokens,
  });
}

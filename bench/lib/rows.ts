/**
 * Task rows in the store's schema (packages/server/src/store/schema.ts), built directly: the raw-insert floor of
 * the end-to-end benchmark and the 1M-task seeder both write these, bypassing the collector.
 */
import { ANSWER, QUESTION, SYSTEM_PROMPT, openaiCompletion, openaiQuery } from "./payloads.js";

/** Every column of `tasks`, in a fixed order for prepared statements. */
export const TASK_COLUMNS = [
  "project_id",
  "id",
  "session_id",
  "created_at",
  "received_at",
  "updated_at",
  "last_update",
  "input",
  "output",
  "raw_input",
  "raw_output",
  "raw_input_type_name",
  "raw_output_type_name",
  "metadata",
  "user_id",
  "version_id",
  "model",
  "system_prompt",
  "environment",
  "test_id",
  "step_id",
  "status",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "latency_ms",
  "ttft_ms",
  "flag",
  "flag_source",
  "notes",
  "human_eval",
  "human_eval_at",
  "last_eval",
  "task_position",
  "is_last_task",
] as const;

export type TaskColumn = (typeof TASK_COLUMNS)[number];
export type TaskRecord = Record<TaskColumn, string | number | null>;

const RAW_INPUT = JSON.stringify(openaiQuery(false));
const RAW_OUTPUT = JSON.stringify(openaiCompletion());

/**
 * The row the collector stores for one `log({ input: openaiQuery, output: openaiCompletion, userId, versionId })`
 * of the end-to-end benchmark: the same texts, raw JSON, metadata and derived columns.
 */
export function e2eRow(projectId: string, id: string, i: number, now: number): TaskRecord {
  const user = `user_${i % 500}`;
  const metadata = {
    user_id: user,
    version_id: "v1",
    model: "gpt-4o-mini-2024-07-18",
    system_prompt: SYSTEM_PROMPT,
    prompt_tokens: 42,
    completion_tokens: 21,
    total_tokens: 63,
  };
  return {
    project_id: projectId,
    id,
    session_id: null,
    created_at: now,
    received_at: now,
    updated_at: now,
    last_update: now,
    input: QUESTION,
    output: ANSWER,
    raw_input: RAW_INPUT,
    raw_output: RAW_OUTPUT,
    raw_input_type_name: "object",
    raw_output_type_name: "object",
    metadata: JSON.stringify(metadata),
    user_id: user,
    version_id: "v1",
    model: metadata.model,
    system_prompt: SYSTEM_PROMPT,
    environment: "default environment",
    test_id: null,
    step_id: null,
    status: null,
    prompt_tokens: 42,
    completion_tokens: 21,
    total_tokens: 63,
    latency_ms: null,
    ttft_ms: null,
    flag: null,
    flag_source: null,
    notes: null,
    human_eval: null,
    human_eval_at: null,
    last_eval: null,
    task_position: null,
    is_last_task: 0,
  };
}

/** Store rows as the wire format shows them: times in seconds, JSON parsed, booleans as booleans. */
import { parseJson, parseObject } from "../../store/derive.js";
import type { SessionRow, TaskRow } from "../../store/types.js";

const seconds = (ms: number) => Math.floor(ms / 1000);

export function taskToWire(row: TaskRow) {
  return {
    id: row.id,
    project_id: row.project_id,
    session_id: row.session_id,
    created_at: seconds(row.created_at),
    last_update: row.last_update,
    input: row.input,
    output: row.output,
    additional_input: parseJson(row.raw_input),
    additional_output: parseJson(row.raw_output),
    raw_input_type_name: row.raw_input_type_name,
    raw_output_type_name: row.raw_output_type_name,
    metadata: parseObject(row.metadata),
    flag: row.flag,
    flag_source: row.flag_source,
    notes: row.notes,
    human_eval:
      row.human_eval === null ? null : { flag: row.human_eval, created_at: seconds(row.human_eval_at ?? 0) },
    last_eval: parseJson(row.last_eval),
    environment: row.environment,
    test_id: row.test_id,
    task_position: row.task_position,
    is_last_task: row.is_last_task === 1,
  };
}

export function sessionToWire(row: SessionRow) {
  return {
    id: row.id,
    project_id: row.project_id,
    created_at: seconds(row.created_at),
    last_message_ts: seconds(row.last_message_ts),
    session_length: row.session_length,
    preview: row.preview,
    metadata: parseObject(row.metadata),
    notes: row.notes,
    first_task_id: row.first_task_id,
    last_task_id: row.last_task_id,
    user_id: row.user_id,
    stats: { success_count: row.success_count, failure_count: row.failure_count },
  };
}

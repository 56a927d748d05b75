/** Builders of store-level events for tests. */
import type { IngestEvent } from "../../src/store/types.js";

export function event(taskId: string, overrides: Partial<IngestEvent> = {}): IngestEvent {
  return {
    task_id: taskId,
    session_id: null,
    input: `input of ${taskId}`,
    output: `output of ${taskId}`,
    created_at: 1_700_000_000_000,
    order: 1_700_000_000_000,
    raw_input: null,
    raw_output: null,
    raw_input_type_name: null,
    raw_output_type_name: null,
    metadata: {},
    flag: null,
    ...overrides,
  };
}

/**
 * Events in the shape the collector's store ingests (`IngestEvent`, after validation), for the benchmarks that
 * call `store.ingest` directly: no raw payloads, no flag, times in ms.
 */
export interface StoreEventFields {
  session_id: string | null;
  input: string;
  output: string;
  created_at: number;
  metadata: Record<string, unknown>;
}

export function storeEvent(taskId: string, fields: StoreEventFields) {
  return {
    task_id: taskId,
    ...fields,
    order: fields.created_at,
    raw_input: null,
    raw_output: null,
    raw_input_type_name: null,
    raw_output_type_name: null,
    flag: null,
  };
}

// Where our SDK deliberately differs from phospho 1.3.13 in the parity scripts, with the reason. The README's
// "Migrating from phospho 1.3" section says the same to users. Filled from a run against the real upstream.

export const SCRIPTS = [
  "init_returns_promise",
  "init_without_key",
  "public_fields",
  "log_strings",
  "log_openai_objects",
  "log_promise_output",
  "raw_overrides",
  "same_task_twice",
  "extra_fields",
  "latest_ids",
  "stream_async",
  "feedback_flag",
  "feedback_raw_flag",
  "feedback_notes_only",
  "feedback_nothing",
  "send_user_feedback",
  "send_user_feedback_without_project",
] as const;

const TYPE_NAME =
  "raw_*_type_name is the value's class name (Object, Array, Map, a provider's class) instead of typeof, " +
  "which said 'object' for every object";

export const DELIBERATE: Record<string, Record<string, string>> = {
  init_without_key: {
    printed:
      "a missing key or project id is reported once at init, naming the option and the variable; upstream " +
      "said nothing until log() threw",
    "returned.log.rejected":
      "log() never throws: without a key it is a no-op counted as dropped not_configured; upstream rejected, " +
      "which crashed apps that did not catch it (strict: true brings the throw back, at init)",
    "returned.log.resolved": "same difference, seen from the other side",
  },
  public_fields: {
    "returned.pathToHash": "the field shows the option given; upstream never stored it (always undefined)",
  },
  log_openai_objects: {
    "stored.0.raw_input_type_name": TYPE_NAME,
    "stored.0.raw_output_type_name": TYPE_NAME,
  },
  raw_overrides: {
    "stored.0.raw_input_type_name": TYPE_NAME,
    "stored.0.raw_output_type_name": TYPE_NAME,
  },
  log_promise_output: {
    "stored.0.metadata.latency_ms": "latency is measured from log() to the settling of an output Promise",
  },
  feedback_notes_only: {
    "stored.0.notes":
      "notes alone are feedback: they are stored (through the task update route, with the key); upstream " +
      "sent nothing without a flag",
    "returned.resolved": "so it resolves to the updated task; upstream resolved undefined",
    printed: "upstream warned that nothing was logged; nothing to warn about here",
  },
  stream_async: {
    "returned.returned": "log() resolves to the logged content for a stream too; upstream returned undefined",
    "stored.0.raw_output":
      "a stream is logged once, when it ends, with its text as raw output; upstream kept the list of chunks " +
      "with a trailing null (and could send partial streams)",
    "stored.0.raw_output_type_name": "'stream' for a stream",
    "stored.0.metadata.latency_ms": "streams are timed",
    "stored.0.metadata.time_to_first_token_ms": "streams are timed",
    "stored.0.metadata.stream_status": "how the stream ended (completed, cancelled, error) is recorded",
  },
};

/** Steps: the spans of a task, shared by `/v2/log` (validated here) and `otlp/` (mapped there). */
export { MAX_STEPS_PER_EVENT, validateSteps, type StepsResult } from "./validate.js";
export { readSteps, stepToWire } from "./table.js";
export { storeEventSteps, type PreparedEvents } from "./ingest.js";
export {
  STEP_ATTRIBUTES_LIMIT,
  STEP_ATTRIBUTE_VALUE_LIMIT,
  STEP_CONTENT_LIMIT,
  STEP_TEXT_LIMIT,
} from "./truncate.js";
export {
  STEP_KINDS,
  STEP_STATUSES,
  type ChatMessage,
  type Step,
  type StepKind,
  type StepLogEntry,
  type StepStatus,
  type StoredStep,
} from "./types.js";

/** The collector's public surface. */
export { buildApp, defaultDashboardDir, type BuildAppOptions } from "./app.js";
export { runCli } from "./cli.js";
export { DEFAULT_LIMITS, type Limits } from "./config.js";
export { HttpError } from "./errors.js";
export { openStore, redact, StoreOpenError, type OpenStoreOptions } from "./store/index.js";
export type {
  ApiKeyRecord,
  Dialect,
  EvalRow,
  FeedbackInput,
  FeedbackResult,
  IngestEvent,
  Project,
  SessionFilters,
  SessionRow,
  Store,
  TaskFilters,
  TaskPatch,
  TaskRow,
} from "./store/types.js";
export type { Database } from "./store/schema.js";

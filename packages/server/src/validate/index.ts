export { validateBatch, type BatchLimits, type ValidatedBatch } from "./envelope.js";
export { normalizeEvent, logEventSchema, type EventLimits } from "./event.js";
export * from "./requests.js";
export { sanitize, stripNul, SanitizeError } from "./sanitize.js";
export { metadataRangeIssue, timeRangeIssue, MAX_TIME_MS, MAX_TOKENS } from "./numbers.js";

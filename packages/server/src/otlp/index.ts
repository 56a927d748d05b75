/** OTLP/HTTP traces and logs in: `POST /v1/traces`, `POST /v1/logs`, mapped to tasks and steps. */
export { otlpRoutes, type OtlpContext } from "./routes.js";
export { spanToStep } from "./genai.js";
export { deriveTask } from "./task.js";

/** The durable job runner: jobs in the store, leased, retried with backoff, idempotent by unique key. */
export { JobRunner, type JobContext, type JobHandler, type Producer, type RunnerHooks } from "./runner.js";
export { JobError, LeaseLostError } from "./errors.js";
export { DEFAULT_RUNNER_OPTIONS, runnerOptionsFromEnv, type RunnerOptions } from "./options.js";
export {
  countJobs,
  enqueue,
  listFailed,
  retryFailed,
  type Job,
  type JobCounts,
  type NewJob,
} from "./queue.js";
export { backoffDelay } from "./backoff.js";
export { RateLimiter } from "./rate.js";

/** Options of the job runner, with their defaults, units and environment variables (documented in the README). */
export interface RunnerOptions {
  /** Jobs run at once by this process. `PHOSPHO_JOBS_CONCURRENCY`, default 4. */
  concurrency: number;
  /** How long a claimed job stays this worker's, in ms; renewed while it runs. `PHOSPHO_JOBS_LEASE_MS`, 30,000. */
  leaseMs: number;
  /** Attempts before a job shows as failed. `PHOSPHO_JOBS_MAX_ATTEMPTS`, default 5. */
  maxAttempts: number;
  /** First retry delay in ms, doubled per attempt (with jitter), capped at 5 minutes. `PHOSPHO_JOBS_BACKOFF_MS`, 1,000. */
  backoffMs: number;
  /** Wait between two polls when there is nothing to do, in ms. `PHOSPHO_JOBS_POLL_MS`, default 250. */
  pollMs: number;
  /** Requests per second towards model endpoints, for this process. `PHOSPHO_LLM_RATE`, default 10. */
  llmRatePerSecond: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  concurrency: 4,
  leaseMs: 30_000,
  maxAttempts: 5,
  backoffMs: 1_000,
  pollMs: 250,
  llmRatePerSecond: 10,
};

const ENV: Record<keyof RunnerOptions, string> = {
  concurrency: "PHOSPHO_JOBS_CONCURRENCY",
  leaseMs: "PHOSPHO_JOBS_LEASE_MS",
  maxAttempts: "PHOSPHO_JOBS_MAX_ATTEMPTS",
  backoffMs: "PHOSPHO_JOBS_BACKOFF_MS",
  pollMs: "PHOSPHO_JOBS_POLL_MS",
  llmRatePerSecond: "PHOSPHO_LLM_RATE",
};

/** The options from the environment over the defaults; a bad value is an error naming the variable. */
export function runnerOptionsFromEnv(env: NodeJS.ProcessEnv): RunnerOptions {
  const options = { ...DEFAULT_RUNNER_OPTIONS };
  for (const key of Object.keys(ENV) as Array<keyof RunnerOptions>) {
    const text = env[ENV[key]];
    if (text === undefined || text === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`${ENV[key]} must be a positive number, got "${text}"`);
    }
    options[key] = key === "llmRatePerSecond" ? value : Math.floor(value);
  }
  return options;
}

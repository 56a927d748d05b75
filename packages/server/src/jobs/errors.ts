/** Errors a job handler throws to steer the runner. Any other error is retried with backoff. */
export class JobError extends Error {
  override readonly name = "JobError";
  constructor(
    message: string,
    /** False: fail now, another attempt would fail the same way (for example a 400 from the endpoint). */
    readonly retryable: boolean,
    /** The earliest next attempt the failure asks for, in ms (a 429's Retry-After). */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The job was taken by another worker after this one's lease ran out: its effects must not be committed. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

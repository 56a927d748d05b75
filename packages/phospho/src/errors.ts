// The SDK's error hierarchy. Each class has a literal `name` and a `code` so callers can tell them apart
// without `instanceof` (which breaks when two copies of the SDK are loaded). Fields set in a constructor are
// `declare`d, so the build does not also define each one as `undefined` first (same properties, smaller).

/** Every error the SDK creates or reports through `onError`. */
export type PhosphoErrorCode = "config" | "auth" | "rejected" | "delivery" | "dropped" | "internal";

export class PhosphoError extends Error {
  override readonly name: string = "PhosphoError";
  declare readonly code: PhosphoErrorCode;

  constructor(code: PhosphoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A required option is missing or invalid. Names the option and its environment variable. */
export class PhosphoConfigError extends PhosphoError {
  override readonly name = "PhosphoConfigError" as const;
  declare readonly option: string;
  declare readonly envVar: string | undefined;

  constructor(option: string, message: string, envVar?: string) {
    super("config", message);
    this.option = option;
    this.envVar = envVar;
  }
}

/** The collector refused the API key (401) or the key may not write to the project (403). */
export class PhosphoAuthError extends PhosphoError {
  override readonly name = "PhosphoAuthError" as const;
  declare readonly status: number;

  constructor(status: number, message: string) {
    super("auth", message);
    this.status = status;
  }
}

/** The collector rejected one event (`error_in_log`); it is dropped, never retried. */
export class PhosphoRejectedEventError extends PhosphoError {
  override readonly name = "PhosphoRejectedEventError" as const;
  declare readonly taskId: string | undefined;
  declare readonly detail: string;

  constructor(taskId: string | undefined, detail: string) {
    super("rejected", `phospho rejected the event ${taskId ?? "(no task_id)"}: ${detail}`);
    this.taskId = taskId;
    this.detail = detail;
  }
}

/** Events could not be delivered (network, timeout, HTTP error after retries) or were dropped locally. */
export class PhosphoDeliveryError extends PhosphoError {
  override readonly name = "PhosphoDeliveryError" as const;
  /** Why the events were given up: a key of `stats().dropped`. */
  declare readonly reason: string;
  /** How many events this error is about. */
  declare readonly count: number;
  /** The HTTP status of the last attempt, when there was one. */
  declare readonly status: number | undefined;

  constructor(reason: string, count: number, message: string, status?: number) {
    super(reason === "queue_full" || reason === "spool_full" ? "dropped" : "delivery", message);
    this.reason = reason;
    this.count = count;
    this.status = status;
  }
}

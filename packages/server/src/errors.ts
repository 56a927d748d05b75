/**
 * The collector's one error class. Anything thrown as an `HttpError` becomes `{"detail": ...}` with its status in
 * the single error handler of `app.ts`; anything else becomes a logged 500 with a generic sentence.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";

  /** Extra reply headers, for example `retry-after` on a 429. */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly detail: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(detail, options);
    this.headers = options?.headers ?? {};
  }
}

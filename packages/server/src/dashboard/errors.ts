/**
 * The dashboard API's one error class. Routes throw it; the API's error handler (routes/index.ts) turns it into
 * `{ "detail": "<sentence>" }` with its status, the same body shape as the v2 routes.
 */
export class DashboardError extends Error {
  override readonly name = "DashboardError";
  constructor(
    readonly status: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/**
 * The dashboard API throws the collector's one error class, `HttpError(status, detail)`, under the name it has
 * always used here. The API's error handler (routes/index.ts) turns it into `{ "detail": "<sentence>" }` with its
 * status, the same body shape as the v2 routes.
 */
export { HttpError as DashboardError } from "../errors.js";

/** What every dashboard module is handed: the store, and the (lazily loaded, cached) cookie secret. */
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy } from "../analytics/index.js";
import type { Store } from "../store/types.js";
import { loadCookieSecret } from "./auth/secret.js";

export type ReportError = (error: Error, request: { method: string; url: string }) => void;

export interface DashboardContext {
  store: Store;
  secret(): Promise<Buffer>;
  /** Where unexpected errors (answered 500) are reported: the collector's own report (app.ts). */
  report: ReportError;
  /** Which webhook URLs an event definition may be given (the same policy the job runner calls them under). */
  webhooks: WebhookPolicy;
}

const consoleReport: ReportError = (error, request) =>
  console.error(
    `phospho-server: internal error on ${request.method} ${request.url}: ${error.stack ?? error.message}`,
  );

export function createContext(
  store: Store,
  report: ReportError = consoleReport,
  webhooks: WebhookPolicy = DEFAULT_WEBHOOK_POLICY,
): DashboardContext {
  let secret: Promise<Buffer> | undefined;
  return {
    store,
    report,
    webhooks,
    secret() {
      secret ??= loadCookieSecret(store).catch((error: unknown) => {
        secret = undefined;
        throw error;
      });
      return secret;
    },
  };
}

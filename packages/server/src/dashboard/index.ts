/**
 * The dashboard: its JSON API under /api, sign-in, and the built UI at /. Registered by `buildApp` with the
 * store and the folder of the built UI; the CLI prints `{origin}/signin?token=${await issueSignInToken(store)}`.
 * See README.md in this folder for the API.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import type { FastifyPluginAsync } from "fastify";
import type { WebhookPolicy } from "../analytics/index.js";
import type { Store } from "../store/types.js";
import { createSignInToken, invalidateSignInTokens } from "./auth/tokens.js";
import { createContext, type ReportError } from "./context.js";
import { apiRoutes } from "./routes/index.js";
import { staticRoutes } from "./static.js";

export interface DashboardOptions {
  store: Store;
  /** Folder holding the built dashboard (packages/dashboard/dist). */
  staticDir?: string | undefined;
  /** Where unexpected errors are reported (default: one console.error line with the stack). */
  report?: ReportError | undefined;
  /** Which webhook URLs event definitions may be given. Default: `DEFAULT_WEBHOOK_POLICY`. */
  webhooks?: WebhookPolicy | undefined;
}

/** packages/dashboard/dist, from src/dashboard or dist/dashboard of packages/server. */
const DEFAULT_STATIC_DIR = fileURLToPath(new URL("../../../dashboard/dist", import.meta.url));

export const dashboardPlugin: FastifyPluginAsync<DashboardOptions> = async (
  app,
  { store, staticDir, report, webhooks },
) => {
  const ctx = createContext(store, report, webhooks);
  if (!app.hasRequestDecorator("cookies")) await app.register(fastifyCookie);
  await app.register(apiRoutes, { ctx, prefix: "/api" });
  await app.register(staticRoutes, { ctx, staticDir: resolve(staticDir ?? DEFAULT_STATIC_DIR) });
};

/** A one-time sign-in token, printed by the CLI at start as `{origin}/signin?token=…`. */
export async function issueSignInToken(store: Store): Promise<string> {
  return createSignInToken(store);
}

/** Ends the sign-in links not used yet; the CLI calls it at start, before printing its own. */
export async function invalidateSignInLinks(store: Store): Promise<void> {
  await invalidateSignInTokens(store);
}

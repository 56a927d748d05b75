/**
 * The dashboard: its JSON API under /api and its static files at /. Owned by the dashboard work; this stub
 * lets the collector start before the dashboard exists.
 */
import type { FastifyPluginAsync } from "fastify";
import type { Store } from "../store/types.js";

export interface DashboardOptions {
  store: Store;
  /** Folder holding the built dashboard (packages/dashboard/dist). */
  staticDir?: string | undefined;
}

export const dashboardPlugin: FastifyPluginAsync<DashboardOptions> = async () => {};

/** A one-time sign-in token, printed by the CLI at start as `{origin}/signin?token=…`. */
export async function issueSignInToken(_store: Store): Promise<string> {
  return "";
}

/**
 * A real phospho-server for browser tests: `buildApp` over a temporary SQLite file, listening on 127.0.0.1
 * port 0, serving the built dashboard (built here if `npm test` has not built it yet). The sign-in link is the
 * one the CLI prints.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildApp } from "../../../server/src/app.js";
import { issueSignInToken } from "../../../server/src/dashboard/index.js";
import { openStore } from "../../../server/src/store/index.js";
import type { Store } from "../../../server/src/store/types.js";

export const DASHBOARD_DIR = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const DIST_DIR = join(DASHBOARD_DIR, "dist");

export function ensureDashboardBuilt(): void {
  if (existsSync(join(DIST_DIR, "index.html"))) return;
  execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: DASHBOARD_DIR, stdio: "inherit" });
}

export interface TestServer {
  origin: string;
  store: Store;
  projectId: string;
  apiKey: string;
  /** `{origin}/signin?token=…`, exactly as the CLI prints it. */
  signInLink(): Promise<string>;
  /** Stops the collector and starts it again on the same database file, on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  ensureDashboardBuilt();
  const dir = mkdtempSync(join(tmpdir(), "phospho-browser-"));
  let store = await openStore(join(dir, "phospho.db"), { warn: () => {} });
  let app = await buildApp({ store, staticDir: DIST_DIR });
  const origin = await app.listen({ host: "127.0.0.1", port: 0 });
  const project = await store.createProject("Travel assistant", "proj_travel");
  const { key } = await store.createApiKey(project.id, { name: "browser test" });
  return {
    origin,
    get store() {
      return store;
    },
    projectId: project.id,
    apiKey: key,
    signInLink: async () => `${origin}/signin?token=${await issueSignInToken(store)}`,
    async restart() {
      await app.close();
      await store.close();
      store = await openStore(join(dir, "phospho.db"), { warn: () => {} });
      app = await buildApp({ store, staticDir: DIST_DIR });
      await app.listen({ host: "127.0.0.1", port: Number(new URL(origin).port) });
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

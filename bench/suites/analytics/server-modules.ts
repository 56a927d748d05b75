/** The built collector's analytics and store modules, loaded from packages/server/dist like the other suites. */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, requirePart } from "../../lib/paths.js";

/* The parts of the built modules this suite calls, typed here so that the bench does not compile the server. */
export interface BenchStore {
  db: unknown;
  dialect: string;
  createProject(name: string, id?: string): Promise<unknown>;
  close(): Promise<void>;
}
export interface BenchRunner {
  start(): void;
  stop(): Promise<void>;
  enqueue(jobs: unknown[], trx?: unknown): Promise<void>;
}
interface AnalyticsModule {
  createAnalyticsRunner(store: BenchStore, options: Record<string, unknown>): BenchRunner;
  createDefinition(db: unknown, projectId: string, input: Record<string, unknown>): Promise<{ id: string }>;
  createBackfill(
    db: unknown,
    projectId: string,
    ids: string[] | null,
    filters: Record<string, unknown>,
    enqueue: (jobs: unknown[], trx: unknown) => Promise<void>,
  ): Promise<string>;
  saveEndpoint(db: unknown, projectId: string, input: Record<string, unknown>): Promise<void>;
}
interface StoreModule {
  openStore(url: string, options?: { warn?: (m: string) => void }): Promise<BenchStore>;
}

const dist = path.join(repoRoot, "packages/server/dist");

export async function serverModules(): Promise<{ analytics: AnalyticsModule; store: StoreModule }> {
  const analyticsFile = requirePart(
    "The collector's analytics (packages/server)",
    path.join(dist, "analytics/index.js"),
  );
  const storeFile = requirePart("The collector's store (packages/server)", path.join(dist, "store/index.js"));
  return {
    analytics: (await import(pathToFileURL(analyticsFile).href)) as AnalyticsModule,
    store: (await import(pathToFileURL(storeFile).href)) as StoreModule,
  };
}

/** Five offline definitions: three keyword lists and two regexes, as a team would start with. */
export const FIVE_DEFINITIONS = [
  {
    name: "Human requested",
    detector: "keywords",
    scope: "input",
    config: { keywords: ["human", "agent", "person"] },
  },
  { name: "Refund", detector: "keywords", scope: "both", config: { keywords: ["refund", "money back"] } },
  {
    name: "Refusal",
    detector: "keywords",
    scope: "output",
    config: { keywords: ["I can't help", "I cannot help"] },
  },
  {
    name: "Order number",
    detector: "regex",
    scope: "input",
    config: { pattern: "\\border\\s*#?\\d{4,}\\b" },
  },
  {
    name: "Email",
    detector: "regex",
    scope: "both",
    config: { pattern: "[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}" },
  },
];

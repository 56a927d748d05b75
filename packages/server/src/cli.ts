#!/usr/bin/env node
/**
 * `phospho-server`: start the collector (default), or manage projects and keys.
 *
 *   phospho-server [--host 127.0.0.1] [--port 7878] [--db ./.phospho/phospho.db]
 *   phospho-server projects create NAME | projects list | keys create --project ID
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createAnalyticsRunner, endpointFromEnv, webhookPolicyFromEnv } from "./analytics/index.js";
import { checkAggregates } from "./aggregates/index.js";
import { buildApp } from "./app.js";
import {
  BUDGET_ENV,
  DEFAULT_DB,
  DEFAULT_HOST,
  DEFAULT_PORT,
  LIMIT_ENV,
  MIN_API_KEY_LENGTH,
  type Limits,
  type ServerBudgets,
} from "./config.js";
import { invalidateSignInLinks, issueSignInToken } from "./dashboard/index.js";
import { runnerOptionsFromEnv } from "./jobs/index.js";
import { fullCause, isDiskFull } from "./store/disk-full.js";
import { openStore, redact, type ReadOptions } from "./store/index.js";
import type { Store } from "./store/types.js";

const USAGE = `Usage:
  phospho-server [--host HOST] [--port PORT] [--db PATH_OR_URL]   start the collector
  phospho-server projects create NAME                              create a project (and print a key for it)
  phospho-server projects list                                     list projects
  phospho-server keys create --project ID                          create an API key for a project

  phospho-server keys list --project ID                            list a project's keys (never the keys themselves)
  phospho-server keys revoke KEY_ID_OR_PREFIX                      revoke a key and end its dashboard sessions
  phospho-server aggregates check                                  recount the aggregates from the tasks; exit 1 on a difference

Options (environment variable, default):
  --host  HOST                  127.0.0.1
  --port  PORT                  7878
  --db    PHOSPHO_DATABASE_URL  ./.phospho/phospho.db  (a path, sqlite: URL or postgres:// URL)
  --trust-proxy  PHOSPHO_TRUST_PROXY=1  off  (honour X-Forwarded-For / -Proto from a reverse proxy)

Request budgets (environment only; see the README):
  PHOSPHO_REQUEST_TIMEOUT_MS 30000, PHOSPHO_HEADERS_TIMEOUT_MS 10000, PHOSPHO_IDLE_TIMEOUT_MS 60000,
  PHOSPHO_MAX_CONNECTIONS 2000, PHOSPHO_MAX_CONNECTIONS_PER_ADDRESS 256 (0: no cap),
  PHOSPHO_OTLP_MAX_PENDING 20000 (OTLP spans and log records per project awaiting commit; then 429; 0: no cap)
SQLite reads: PHOSPHO_QUERY_TIMEOUT_MS 10000 (a longer read is stopped: 422), PHOSPHO_SQLITE_READERS 2
  (reader processes; 0: reads on the main thread)

Analytics (environment only; see the server README): PHOSPHO_ANALYTICS=off, PHOSPHO_JOBS_CONCURRENCY,
PHOSPHO_JOBS_LEASE_MS, PHOSPHO_JOBS_MAX_ATTEMPTS, PHOSPHO_JOBS_BACKOFF_MS, PHOSPHO_JOBS_POLL_MS, PHOSPHO_LLM_RATE,
PHOSPHO_LLM_BASE_URL, PHOSPHO_LLM_API_KEY, PHOSPHO_LLM_MODEL`;

class CliError extends Error {
  override readonly name = "CliError";
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: Io = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
};

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be an integer between 0 and 65535, got "${text}"`);
  }
  return port;
}

/** The fields of `names` set in the environment; a value that is not a non-negative integer is refused, by name. */
function integersFromEnv<K extends string>(
  env: NodeJS.ProcessEnv,
  names: Partial<Record<K, string>>,
): Partial<Record<K, number>> {
  const values: Partial<Record<K, number>> = {};
  for (const [field, name] of Object.entries(names) as Array<[K, string]>) {
    const text = env[name];
    if (text === undefined || text === "") continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) {
      throw new CliError(`${name} must be a non-negative integer, got "${text}"`);
    }
    values[field] = value;
  }
  return values;
}

/** The socket budgets set in the environment. */
export function budgetsFromEnv(env: NodeJS.ProcessEnv): Partial<ServerBudgets> {
  return integersFromEnv(env, BUDGET_ENV);
}

/** The limits set in the environment (LIMIT_ENV). */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<Limits> {
  return integersFromEnv(env, LIMIT_ENV);
}

/** `PHOSPHO_QUERY_TIMEOUT_MS` and `PHOSPHO_SQLITE_READERS`: where SQLite reads run, and for how long. */
export function readOptionsFromEnv(env: NodeJS.ProcessEnv): ReadOptions {
  const options: ReadOptions = {};
  const read = (name: string, least: number): number | undefined => {
    const text = env[name];
    if (text === undefined || text === "") return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < least) {
      throw new CliError(`${name} must be an integer of at least ${least}, got "${text}"`);
    }
    return value;
  };
  const timeout = read("PHOSPHO_QUERY_TIMEOUT_MS", 1);
  const readers = read("PHOSPHO_SQLITE_READERS", 0);
  if (timeout !== undefined) options.queryTimeoutMs = timeout;
  if (readers !== undefined) options.readers = readers;
  return options;
}

/** Creation that another replica may be doing at the same moment: a failure is fine if the thing now exists. */
async function ensure(exists: () => Promise<boolean>, create: () => Promise<unknown>): Promise<void> {
  if (await exists()) return;
  try {
    await create();
  } catch (error) {
    if (!(await exists())) throw error;
  }
}

async function firstStart(store: Store, baseUrl: string, io: Io): Promise<void> {
  const projectId = io.env.PHOSPHO_PROJECT_ID;
  const apiKey = io.env.PHOSPHO_API_KEY;
  if (apiKey !== undefined && apiKey.length < MIN_API_KEY_LENGTH) {
    throw new CliError(
      `PHOSPHO_API_KEY is ${apiKey.length} characters: a key needs at least ${MIN_API_KEY_LENGTH} ` +
        "(unset it to have one generated, or use `phospho-server keys create`)",
    );
  }
  if (projectId && apiKey) {
    await ensure(
      async () => (await store.getProject(projectId)) !== null,
      () => store.createProject(projectId, projectId),
    );
    await ensure(
      async () => (await store.verifyApiKey(apiKey)) !== null,
      () => store.createApiKey(projectId, { plaintext: apiKey, name: "from PHOSPHO_API_KEY" }),
    );
    const owner = await store.verifyApiKey(apiKey);
    if (owner && owner.projectId !== projectId) {
      throw new CliError(
        `PHOSPHO_API_KEY belongs to project ${owner.projectId}, not PHOSPHO_PROJECT_ID=${projectId}`,
      );
    }
    return;
  }
  if ((await store.listProjects()).length > 0) return;
  // Replicas starting together on one empty PostgreSQL: only the one that claims the first start creates.
  const claim = await store.db
    .insertInto("settings")
    .values({ key: "phospho.first_start", value: String(Date.now()) })
    .onConflict((conflict) => conflict.column("key").doNothing())
    .executeTakeFirst();
  if (Number(claim.numInsertedOrUpdatedRows ?? 0n) === 0) return;
  const project = await store.createProject("default");
  const { key } = await store.createApiKey(project.id, { name: "first start" });
  io.out(
    "First start: created a project and an API key. Put these lines in your app's environment (shown once):",
  );
  io.out(`PHOSPHO_BASE_URL=${baseUrl}/v2`);
  io.out(`PHOSPHO_PROJECT_ID=${project.id}`);
  io.out(`PHOSPHO_API_KEY=${key}`);
}

/** The host as a URL shows it; a wildcard address is printed as loopback, which is what a local app can reach. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

interface ServeOptions {
  host: string;
  port: number;
  db: string;
  trustProxy: boolean;
  budgets: Partial<ServerBudgets>;
  limits: Partial<Limits>;
}

async function serve(options: ServeOptions, io: Io): Promise<number> {
  // Signals are handled from the very start, so a stop during start-up still closes the store cleanly.
  let stopRequested!: () => void;
  const stopSignal = new Promise<void>((resolveStop) => (stopRequested = resolveStop));
  process.once("SIGINT", () => stopRequested());
  process.once("SIGTERM", () => stopRequested());

  const runnerOptions = runnerOptionsFromEnv(io.env);
  const webhooks = webhookPolicyFromEnv(io.env);
  const store = await openStore(options.db, {
    ...readOptionsFromEnv(io.env),
    warn: (message) => io.err(`phospho-server: ${message}`),
  });
  // Requests wait for the first start's project and key (buildApp's `ready`); settled however the start ends.
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const app = await buildApp({
    ...options.limits,
    store,
    ready,
    trustProxy: options.trustProxy,
    budgets: options.budgets,
    webhooks,
  });
  const analytics =
    io.env.PHOSPHO_ANALYTICS === "off"
      ? null
      : createAnalyticsRunner(store, {
          runner: runnerOptions,
          defaultEndpoint: endpointFromEnv(io.env),
          webhooks,
          onError: (message) => io.err(`phospho-server: ${message}`),
        });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close().catch(() => {});
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new CliError(`port ${options.port} on ${options.host} is already in use`);
    throw new CliError(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const origin = `http://${urlHost(options.host)}:${port}`;
  try {
    let token: string | null = null;
    try {
      await firstStart(store, origin, io);
      await invalidateSignInLinks(store);
      token = await issueSignInToken(store);
    } catch (error) {
      // A full disk: start read-only rather than not at all, so that reads stay up.
      if (!isDiskFull(error)) throw error;
      if (!store.readOnly()) store.queue.writeState.full(fullCause(error));
    } finally {
      started();
    }
    const readOnly = store.readOnly();
    if (readOnly) {
      io.err(
        `phospho-server: read-only: ${readOnly.cause}. Reads are served; writes are answered 503 with ` +
          "Retry-After until disk space is freed, and the first write that then commits makes it read-write " +
          "again. No sign-in link (signing in writes to the store): restart once space is freed for one.",
      );
    }
    io.out(`phospho-server listening on ${origin} (store: ${redact(options.db)})`);
    if (token) io.out(`Dashboard: ${origin}/signin?token=${token}`);
    analytics?.start();
  } catch (error) {
    await app.close().catch(() => {});
    await store.close();
    throw error;
  }

  await stopSignal;
  io.out("phospho-server stopping: finishing the requests in flight");
  try {
    // Stops accepting, lets the requests in flight finish, then closes the store after its last commit. Jobs still
    // running after the runner's grace period keep their lease, which brings them back at the next start.
    await app.close();
    await analytics?.stop();
    await store.close();
    return 0;
  } catch (error) {
    io.err(`phospho-server: error while stopping: ${(error as Error).message}`);
    return 1;
  }
}

async function manage(args: string[], db: string, project: string | undefined, io: Io): Promise<number> {
  const [group, action, ...rest] = args;
  const store = await openStore(db, {
    ...readOptionsFromEnv(io.env),
    warn: (message) => io.err(`phospho-server: ${message}`),
  });
  try {
    if (group === "projects" && action === "create") {
      const name = rest.join(" ").trim();
      if (!name) throw new CliError("projects create needs a NAME");
      const created = await store.createProject(name);
      const { key } = await store.createApiKey(created.id, { name: "created with the project" });
      io.out(`PHOSPHO_PROJECT_ID=${created.id}`);
      io.out(`PHOSPHO_API_KEY=${key}`);
      return 0;
    }
    if (group === "projects" && action === "list") {
      for (const item of await store.listProjects()) {
        io.out(`${item.id}\t${item.name}\t${new Date(item.created_at).toISOString()}`);
      }
      return 0;
    }
    if (group === "keys" && action === "create") {
      if (!project) throw new CliError("keys create needs --project ID");
      if (!(await store.getProject(project))) throw new CliError(`project ${project} does not exist`);
      const { key } = await store.createApiKey(project, { name: "created by keys create" });
      io.out(`PHOSPHO_PROJECT_ID=${project}`);
      io.out(`PHOSPHO_API_KEY=${key}`);
      return 0;
    }
    if (group === "keys" && action === "list") {
      if (!project) throw new CliError("keys list needs --project ID");
      if (!(await store.getProject(project))) throw new CliError(`project ${project} does not exist`);
      io.out("id\tprefix\tname\tcreated\tlast used\trevoked");
      const when = (ms: number | null) => (ms === null ? "-" : new Date(Number(ms)).toISOString());
      for (const key of await store.listApiKeys(project)) {
        io.out(
          [
            key.id,
            key.key_prefix,
            key.name ?? "-",
            when(key.created_at),
            when(key.last_used_at),
            when(key.revoked_at),
          ].join("\t"),
        );
      }
      return 0;
    }
    if (group === "keys" && action === "revoke") {
      const which = rest[0];
      if (!which) throw new CliError("keys revoke needs a KEY_ID or a key prefix (phk_…, see keys list)");
      let revoked;
      try {
        revoked = await store.revokeApiKey(which, project);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      if (!revoked) throw new CliError(`no key has the id or prefix "${which}": see keys list --project ID`);
      io.out(`revoked ${revoked.id} (${revoked.key_prefix}…) of project ${revoked.project_id}`);
      return 0;
    }
    if (group === "aggregates" && action === "check") {
      const report = await checkAggregates(store.db);
      for (const line of report.differences) io.out(line);
      io.out(
        report.ok
          ? `aggregates consistent with the tasks (${report.compared} buckets, users and sessions compared)`
          : `aggregates differ from the tasks (${report.compared} compared)`,
      );
      return report.ok ? 0 : 1;
    }
    throw new CliError(`unknown command "${args.join(" ")}"\n${USAGE}`);
  } finally {
    await store.close();
  }
}

/** Runs the CLI; resolves to the exit code. Errors are one line on stderr, never a stack trace. */
export async function runCli(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        db: { type: "string" },
        project: { type: "string" },
        "trust-proxy": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const db = values.db ?? io.env.PHOSPHO_DATABASE_URL ?? DEFAULT_DB;
    if (positionals.length > 0) return await manage(positionals, db, values.project, io);
    const host = values.host ?? io.env.HOST ?? DEFAULT_HOST;
    const port = parsePort(values.port ?? io.env.PORT ?? String(DEFAULT_PORT));
    const trustProxy = values["trust-proxy"] === true || io.env.PHOSPHO_TRUST_PROXY === "1";
    const budgets = budgetsFromEnv(io.env);
    return await serve({ host, port, db, trustProxy, budgets, limits: limitsFromEnv(io.env) }, io);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    io.err(`phospho-server: ${message}`);
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}

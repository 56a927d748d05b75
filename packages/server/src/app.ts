/**
 * `buildApp`: the collector's Fastify instance. `/health`, the wire format under `/v2` and `/v0`, CORS for the SDK
 * in browsers, and the dashboard. Every error leaves through one handler as `{"detail": "..."}`.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cors from "@fastify/cors";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import { authenticate } from "./auth/index.js";
import { DEFAULT_BUDGETS, DEFAULT_LIMITS, type Limits, type ServerBudgets } from "./config.js";
import { discardBody } from "./discard-body.js";
import { dashboardPlugin } from "./dashboard/index.js";
import { HttpError } from "./errors.js";
import {
  budgetedServerFactory,
  registerBodyLimits,
  registerJsonParser,
  registerKeyGate,
} from "./security/index.js";
import { isStoreUnavailable, unavailableReply } from "./store/unavailable.js";
import { otlpRoutes } from "./otlp/index.js";
import { AbandonedError } from "./store/write-queue.js";
import { isLockConflict } from "./store/lock-conflict.js";
import { KyselyStore } from "./store/kysely-store.js";
import { startRepricer } from "./pricing/reprice.js";
import { v2Routes } from "./routes/v2/index.js";
import { SearchIndexer } from "./search/index.js";
import { keylessFeedbackLimiters } from "./routes/v2/context.js";
import type { Store } from "./store/types.js";
import { webhookPolicyFromEnv, type WebhookPolicy } from "./analytics/index.js";

export interface BuildAppOptions extends Partial<Limits> {
  store: Store;
  /** Fastify's logger (pino). Default off. */
  logger?: boolean;
  /** Where unexpected errors (the ones answered with 500) are reported. Default: one console.error line. */
  onInternalError?: (error: Error, request: { method: string; url: string }) => void;
  /** Folder of the built dashboard. Default: `PHOSPHO_DASHBOARD_DIR`, else `packages/dashboard/dist`. */
  staticDir?: string;
  /** Socket timeouts and connection caps; each field defaults to DEFAULT_BUDGETS. */
  budgets?: Partial<ServerBudgets>;
  /**
   * Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy (client address for rate limits, and a
   * `Secure` cookie behind HTTPS). Default false: the headers are ignored, as anyone can send them.
   */
  trustProxy?: boolean;
  /**
   * Which webhook URLs event definitions may be given (give the analytics runner the same). Default: from
   * `PHOSPHO_WEBHOOK_ALLOW_PRIVATE` / `PHOSPHO_WEBHOOK_TIMEOUT_MS` (src/analytics/webhook-url.ts).
   */
  webhooks?: WebhookPolicy;
  /**
   * Every request, `/health` included, waits for this before it is handled. The CLI listens first (to learn its
   * port) and only then writes the project and key named by PHOSPHO_PROJECT_ID / PHOSPHO_API_KEY; a request
   * arriving meanwhile was answered 401 for a key still being written (the SDK does not retry a 401: its events
   * were dropped), 11 to 47 of them per benchmark row on PostgreSQL. Default: nothing to wait for.
   */
  ready?: Promise<unknown>;
}

/** One line per minute at most: an indexing step that fails is retried every poll. */
function searchErrorReporter(): (error: unknown) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    console.warn(`phospho-server: search indexing failed, retrying: ${(error as Error).message ?? error}`);
  };
}

export function defaultDashboardDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return process.env.PHOSPHO_DASHBOARD_DIR ?? resolve(here, "../../dashboard/dist");
}

function fastifyErrorDetail(error: FastifyError, limit: number): string {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return `Request body is larger than the limit of ${limit} bytes: send smaller batches`;
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "Content-Type must be application/json";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "Body is empty: send a JSON object";
    default:
      return error.statusCode === 400 && error instanceof SyntaxError
        ? `Body is not valid JSON: ${error.message}`
        : error.message;
  }
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
    const value = options[key];
    if (value !== undefined) limits[key] = value;
  }
  const budgets: ServerBudgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyLimitBytes,
    serverFactory: budgetedServerFactory(budgets),
    trustProxy: options.trustProxy ?? false,
    forceCloseConnections: "idle",
    return503OnClosing: true,
    // Router-level refusals (a path parameter over 100 characters, a malformed URL) get the same JSON shape.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      const detail =
        error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? "A path parameter is longer than 100 characters: project and task ids are shorter"
          : `Malformed URL: ${error.message}`;
      // The reply's generic type is the route's, unknown here; this reply is plain JSON.
      void (reply as unknown as FastifyReply).code(status).send({ detail });
    },
  });

  // First of the hooks: the key gate below must not look up a key before the start has written it.
  const ready = options.ready;
  if (ready) {
    let started = false;
    const mark = () => (started = true);
    void ready.then(mark, mark);
    app.addHook("onRequest", async () => {
      if (!started) await ready;
    });
  }

  registerJsonParser(app, limits.maxBodyDepth);
  registerBodyLimits(app, limits);

  const report =
    options.onInternalError ??
    ((error: Error, request: { method: string; url: string }) =>
      console.error(
        `phospho-server: internal error on ${request.method} ${request.url}: ${error.stack ?? error.message}`,
      ));
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.status).headers(error.headers).send({ detail: error.detail });
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Read the rest of an oversized body (bounded) so that the client can finish writing and read the 413,
      // instead of meeting a reset connection (EPIPE) while it is still sending.
      const bodyLimit = request.routeOptions.bodyLimit ?? limits.bodyLimitBytes;
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") await discardBody(request.raw, bodyLimit * 4);
      return reply.code(status).send({ detail: fastifyErrorDetail(error, bodyLimit) });
    }
    // The client went away before its write ran: nothing was stored, and no one reads this answer.
    if (error instanceof AbandonedError) return reply.code(503).send({ detail: error.message });
    // A deadlock victim the write queue already ran again five times: nothing was committed, a retry may pass.
    if (isStoreUnavailable(error) || isLockConflict(error)) {
      // Nothing of this request was committed: the SDK (and any client honouring Retry-After) sends it again.
      request.log.warn({ err: error }, "store unavailable");
      const { detail, retryAfter } = unavailableReply(error);
      return reply.code(503).header("retry-after", retryAfter).send({ detail });
    }
    report(error, request);
    return reply.code(500).send({ detail: "Internal error: the collector could not handle this request" });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ detail: `No route ${request.method} ${request.url.split("?")[0]}` }),
  );

  // While closing, answers end their connection, so a keep-alive client cannot hold the shutdown open.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });

  // No id holds a NUL, and PostgreSQL cannot even compare one: refuse it here for every route, naming the part.
  app.addHook("preValidation", async (request) => {
    const params = (request.params ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === "string" && value.includes("\u0000")) {
        throw new HttpError(400, `${name === "*" ? "path" : name}: must not contain a NUL character (%00)`);
      }
    }
  });

  // CORS is for the wire format only (the SDK and feedback widgets in browsers). The dashboard's /api is
  // same-origin, so it answers no cross-origin request at all.
  const wireCors = {
    origin: true,
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowedHeaders: ["Authorization", "Content-Type"],
    maxAge: 86_400,
  };
  await app.register(cors, {
    delegator: (request, callback) =>
      callback(null, request.url.startsWith("/api") ? { origin: false } : wireCors),
  });

  // After CORS, so that a browser can read the 401 of a bad key.
  registerKeyGate(app, (request, mode) => authenticate(options.store, request, mode));

  // Re-pricing after a project's prices change runs in the background of each collector (pricing/reprice.ts),
  // and so does full-text indexing on SQLite (search/).
  let indexer: SearchIndexer | null = null;
  if (options.store instanceof KyselyStore) {
    const repricer = startRepricer(options.store);
    const running = new SearchIndexer(options.store, { onError: searchErrorReporter() }).start();
    indexer = running;
    app.addHook("onClose", async () => {
      await running.stop();
      await repricer.stop();
    });
  }

  // `search`: task writes the full-text index has not reached yet (found meanwhile by a scan of those rows).
  app.get("/health", async () => {
    const readOnly = options.store.readOnly();
    const search = indexer?.health() ?? { pending: 0, lag_ms: 0 };
    return readOnly ? { status: "ok", search, read_only: readOnly } : { status: "ok", search };
  });
  const context = { store: options.store, limits, keylessFeedback: keylessFeedbackLimiters(limits) };
  await app.register(v2Routes, { ...context, prefix: "/v2" });
  await app.register(v2Routes, { ...context, prefix: "/v0" });
  await app.register(otlpRoutes, { ...context, report });
  await app.register(dashboardPlugin, {
    store: options.store,
    report,
    staticDir: options.staticDir ?? defaultDashboardDir(),
    webhooks: options.webhooks ?? webhookPolicyFromEnv(process.env),
  });
  return app;
}

/** Limits and defaults of the collector. Every limit here is documented in the package README. */
export interface Limits {
  /** Largest request body accepted, in bytes. Larger bodies get 413. Default 16 MiB. */
  bodyLimitBytes: number;
  /** Largest single event (its JSON text), in bytes. Larger events get a per-event `error_in_log`. Default 1 MiB. */
  maxEventBytes: number;
  /** Most events in one ingest request. More gets 413. Default 10,000. */
  maxBatchEvents: number;
  /** Deepest nesting accepted inside one event (objects and arrays). Deeper gets a per-event error. Default 64. */
  maxDepth: number;
  /** Most tasks or sessions a list read returns. Default 1,000; larger `limit`s are capped. */
  maxListLimit: number;
  /**
   * Most bytes of tasks one list reply carries (JSON); the page stops before it (but holds at least one task) and
   * `next_offset` says where to go on. Default 32 MiB.
   */
  maxReplyBytes: number;
  /**
   * Most feedback a project keeps for tasks that have not arrived, from callers WITHOUT a key (browser widgets
   * need only a project id, so anyone could send them). Past it, key-less feedback on an absent task gets 429.
   * Default 10,000.
   */
  maxPendingFeedback: number;
  /**
   * Largest body of a route that reads it before (or without) a key: key-less feedback and the dashboard's
   * `/api`. Larger gets 413. Default 64 KiB.
   */
  smallBodyLimitBytes: number;
  /**
   * Deepest nesting of a whole request body that is parsed; deeper values are cut from the text before parsing
   * (their event then fails the per-event bound, `maxDepth`). Default 128.
   */
  maxBodyDepth: number;
  /** Longest `notes` of any feedback or task update, in characters (the dashboard's limit). Default 10,000. */
  maxNotesChars: number;
  /** Key-less feedback waiting for its task kept per client address and project; more gets 429. Default 100. */
  maxPendingFeedbackPerAddress: number;
  /** Key-less feedback still waiting for its task after this long is deleted, ms. Default 7 days. */
  pendingFeedbackTtlMs: number;
  /** Feedback rows kept per task (the newest); older history is dropped. Default 100. */
  maxEvalsPerTask: number;
  /** Key-less feedback accepted per client address per minute; more gets 429. 0: no limit. Default 60. */
  keylessFeedbackPerAddressPerMinute: number;
  /** Key-less feedback accepted per project per minute; more gets 429. 0: no limit. Default 6,000. */
  keylessFeedbackPerProjectPerMinute: number;
  /**
   * Spans and log records of one project received on OTLP and not yet committed; past it, that project's exports
   * get 429 with Retry-After until the backlog drains (a request alone is always taken). 0: no limit. Default
   * 20,000. Environment `PHOSPHO_OTLP_MAX_PENDING`.
   */
  otlpMaxPendingPerProject: number;
}

/** Socket budgets of the HTTP server (see src/security/server.ts). */
export interface ServerBudgets {
  /** Most time to receive one whole request, headers and body, ms. Default 30,000. 0 disables. */
  requestTimeoutMs: number;
  /** Most time to receive the headers of a request, ms. Default 10,000. */
  headersTimeoutMs: number;
  /** Sockets without any traffic for this long are closed, ms. Default 60,000. */
  idleTimeoutMs: number;
  /** Open connections in total. Default 2,000. 0: no cap. */
  maxConnections: number;
  /** Open connections per client address. Default 256. 0: no cap (set it so behind a proxy). */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_BUDGETS: ServerBudgets = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxConnections: 2_000,
  maxConnectionsPerAddress: 256,
};

/** Environment variables that override a socket budget (integers, in the unit of the field). */
export const BUDGET_ENV: Record<keyof ServerBudgets, string> = {
  requestTimeoutMs: "PHOSPHO_REQUEST_TIMEOUT_MS",
  headersTimeoutMs: "PHOSPHO_HEADERS_TIMEOUT_MS",
  idleTimeoutMs: "PHOSPHO_IDLE_TIMEOUT_MS",
  maxConnections: "PHOSPHO_MAX_CONNECTIONS",
  maxConnectionsPerAddress: "PHOSPHO_MAX_CONNECTIONS_PER_ADDRESS",
};

/** Shortest API key accepted from PHOSPHO_API_KEY (generated keys are 47 characters). */
export { MIN_API_KEY_LENGTH } from "./store/keys.js";

export const DEFAULT_LIMITS: Limits = {
  bodyLimitBytes: 16 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxBatchEvents: 10_000,
  maxDepth: 64,
  maxListLimit: 1_000,
  maxReplyBytes: 32 * 1024 * 1024,
  maxPendingFeedback: 10_000,
  smallBodyLimitBytes: 64 * 1024,
  maxBodyDepth: 128,
  maxNotesChars: 10_000,
  maxEvalsPerTask: 100,
  maxPendingFeedbackPerAddress: 100,
  pendingFeedbackTtlMs: 7 * 24 * 60 * 60 * 1000,
  keylessFeedbackPerAddressPerMinute: 60,
  keylessFeedbackPerProjectPerMinute: 6_000,
  otlpMaxPendingPerProject: 20_000,
};

/** Environment variables that override a limit (non-negative integers, in the unit of the field). */
export const LIMIT_ENV: Partial<Record<keyof Limits, string>> = {
  otlpMaxPendingPerProject: "PHOSPHO_OTLP_MAX_PENDING",
};

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 7878;
export const DEFAULT_DB = "./.phospho/phospho.db";

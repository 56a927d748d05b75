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
   * Most feedback a project keeps for tasks that have not arrived, from callers WITHOUT a key (browser widgets
   * need only a project id, so anyone could send them). Past it, key-less feedback on an absent task gets 429.
   * Default 10,000.
   */
  maxPendingFeedback: number;
}

export const DEFAULT_LIMITS: Limits = {
  bodyLimitBytes: 16 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxBatchEvents: 10_000,
  maxDepth: 64,
  maxListLimit: 1_000,
  maxPendingFeedback: 10_000,
};

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 7878;
export const DEFAULT_DB = "./.phospho/phospho.db";

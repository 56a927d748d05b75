// Everything `phospho.init()` accepts, documented where declared, with defaults and units.

import type { PhosphoError } from "../errors.js";

// Structural fetch types, so that the declarations compile without the DOM lib or @types/node; the global
// `fetch` of any runtime is assignable to `FetchLike`.

/** The runtime's `AbortSignal` where it has one (DOM or @types/node), else `never`. */
type RuntimeAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : never;

/** What the SDK passes to `fetch`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal?: RuntimeAbortSignal;
  keepalive?: boolean;
}

/** What the SDK reads of a `fetch` response. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A `fetch`-compatible function; injected for tests, proxies or runtimes without a global `fetch`. */
export type FetchLike = (input: string, init: FetchInit) => Promise<FetchResponse>;

export interface PhosphoOptions {
  /** API key sent as `Authorization: Bearer`. Default: env `PHOSPHO_API_KEY`. Required unless disabled. */
  apiKey?: string;
  /** Project the tasks are logged to. Default: env `PHOSPHO_PROJECT_ID`. Required unless disabled. */
  projectId?: string;
  /** Collector base URL, version included. Default: env `PHOSPHO_BASE_URL`, else `http://127.0.0.1:7878/v2`. */
  baseUrl?: string;
  /** `false` makes every call a cheap no-op. Default: `true`, unless env `PHOSPHO_DISABLED=1`. */
  enabled?: boolean;
  /** Version of your app, sent as `version_id` on every task unless a log gives its own. Default: none. */
  versionId?: string;
  /**
   * Opt-in auto-versioning: a directory (or a list of directories) whose files are hashed, Node only, to make
   * the `versionId` when none is given. The Promise of `init()` resolves once the hash is ready; tasks logged
   * before that carry no version. `null` or absent: no hashing. Default: none.
   */
  pathToHash?: string | string[] | null;
  /** Sent as `environment` on every task unless a log gives its own. Default: none (collector's default). */
  environment?: string;
  /** Maximum events per request; a full batch is sent at once. Default: 50 events. */
  batchSize?: number;
  /** Maximum bytes (estimated) per request; larger batches are cut. Default: 1_000_000 bytes. */
  maxBatchBytes?: number;
  /** Pending events are sent every this many milliseconds (an interval, not a debounce). Default: 1000 ms. */
  flushIntervalMs?: number;
  /** phospho 1.3's name for `flushIntervalMs`, in milliseconds; `flushIntervalMs` wins when both are given. */
  tick?: number;
  /**
   * `true` makes `init()` throw `PhosphoConfigError` when the API key or project id is missing. Default:
   * `false`: the problem is reported once (`onError`, else `console.warn`) and every log becomes a no-op,
   * counted in `stats().dropped.not_configured`, so an app deployed without the variables keeps running.
   */
  strict?: boolean;
  /** Queue bound in events; when full the oldest event is dropped and counted. Default: 10_000 events. */
  maxQueueEvents?: number;
  /** Queue bound in bytes (estimated); when full the oldest events are dropped. Default: 10_000_000 bytes. */
  maxQueueBytes?: number;
  /**
   * Retries of one request after a network error, timeout, 408, 409, 429 or 5xx. With the default delays, 8
   * retries ride out an outage of about one minute; after that the batch is spooled (`spoolDir`) or dropped
   * and counted. Default: 8.
   */
  maxRetries?: number;
  /** First retry delay; doubles on each attempt, with jitter, unless `Retry-After` says. Default: 500 ms. */
  retryInitialDelayMs?: number;
  /** Longest wait between two attempts, `Retry-After` included. Default: 30_000 ms. */
  retryMaxDelayMs?: number;
  /** A request taking longer than this is aborted and retried. Default: 10_000 ms. */
  requestTimeoutMs?: number;
  /** How long the Node `beforeExit` hook and `shutdown()` wait for delivery. Default: 5000 ms. */
  shutdownTimeoutMs?: number;
  /** Longest `input`/`output` text, in characters; longer is cut with a visible marker. Default: 100_000. */
  maxContentChars?: number;
  /** Budget for each of `raw_input`/`raw_output`, in characters (estimated). Default: 200_000. */
  maxRawChars?: number;
  /** The `fetch` used for every request. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /**
   * Called for every background failure (rejected events, drops, auth errors). Never called with the API key
   * in any message. Default: a `console.warn`, at most once per error code.
   */
  onError?: (error: PhosphoError) => void;
  /** Applied to every text (input, output, system prompt, strings inside raw values) before it is queued. */
  mask?: (text: string) => string;
  /** Fraction of tasks kept, from 0 to 1; the others are not logged at all. Default: 1. */
  sampleRate?: number;
  /**
   * Serverless hook (`ctx.waitUntil` on Cloudflare, `waitUntil` from `@vercel/functions`): given the flush
   * promise after each log, so the platform keeps the function alive until delivery. Default: none.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * Node only: a directory where events that cannot be delivered are written, and read back (then sent) at
   * the next `init`. Default: none (no disk access).
   */
  spoolDir?: string;
  /** Bound of the spool directory in bytes; beyond it new events are dropped and counted. Default: 50_000_000. */
  maxSpoolBytes?: number;
}

/** The options after defaults and environment have been applied. */
export interface ResolvedConfig {
  // Those marked `?` are the options as given (absent or undefined alike).
  apiKey: string;
  projectId: string;
  baseUrl: string;
  versionId?: string | undefined;
  pathToHash: string[] | undefined;
  environment?: string | undefined;
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  maxRetries: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  maxContentChars: number;
  maxRawChars: number;
  fetch?: FetchLike | undefined;
  onError?: ((error: PhosphoError) => void) | undefined;
  mask?: ((text: string) => string) | undefined;
  sampleRate: number;
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  spoolDir?: string | undefined;
  maxSpoolBytes: number;
}

export const DEFAULT_BASE_URL = "http://127.0.0.1:7878/v2";

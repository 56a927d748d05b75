// Public types of the SDK's data: what `log()` accepts and what it returns (= what is sent).

import type { FetchLike } from "./config/options.js";
import type { JsonValue } from "./extract/json-safe.js";

export type { JsonValue };

export type Flag = "success" | "failure";

/** How a streamed task ended. */
export type StreamStatus = "completed" | "cancelled" | "error";

/** What `phospho.log()` accepts. Any key not listed here is logged as metadata. */
export interface LogParams {
  /** What went into the task: a string, an OpenAI/Anthropic query, any object, or a Promise of one. */
  input?: unknown;
  /** What came out: a string, a completion, a stream (with `stream: true`), any object, or a Promise of one. */
  output?: unknown;
  /** Groups tasks into a conversation. */
  sessionId?: string | null;
  /** Id of the task; generated (`task_<hex>`) when absent. */
  taskId?: string;
  userId?: string;
  versionId?: string;
  /** Feedback known at log time. */
  flag?: Flag;
  environment?: string;
  /** Free-form; explicit keys win over extra keys. */
  metadata?: Record<string, unknown>;
  /** `true` when `output` is a stream (async or sync iterable): one task is logged when it ends. */
  stream?: boolean;
  /** Stored as `raw_input` instead of `input` (the text is still extracted from `input`). */
  rawInput?: unknown;
  /** Stored as `raw_output` instead of `output`. */
  rawOutput?: unknown;
  /**
   * When this `taskId` is still queued from an earlier log, the outputs are concatenated; with `true` (the
   * default) the raw outputs are gathered in a list, with `false` the latest raw output replaces them.
   */
  concatenateRawOutputsIfTaskIdExists?: boolean;
  /** When the task happened, for back-filled or imported logs: a Date or milliseconds since the epoch. */
  createdAt?: Date | number;
  /**
   * The steps that produced the task (LLM calls, tool calls, retrievals), in the collector's step shape
   * (`id`, `name`, `kind`, `started_at`, ...; see the collector README). Sent as they are, masked like every text.
   */
  steps?: ReadonlyArray<Record<string, unknown>>;
  /** Turns `input` into the logged text; the original stays in `raw_input`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputToStrFunction?: (input: any) => string;
  /** Turns `output` into the logged text; the original stays in `raw_output`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outputToStrFunction?: (output: any) => string;
  [extra: string]: unknown;
}

/** One event as sent to `POST /log/{project_id}`, and as `log()` resolves it. */
export interface LogEvent {
  task_id: string;
  project_id: string;
  input: string;
  output: string | null;
  session_id?: string | null;
  /** Unix time in integer seconds. */
  client_created_at: number;
  /** Unix time in integer seconds, set from `log({ createdAt })`. */
  created_at?: number;
  raw_input: JsonValue;
  raw_output: JsonValue;
  raw_input_type_name: string;
  raw_output_type_name: string;
  metadata?: Record<string, JsonValue>;
  user_id?: string;
  version_id?: string;
  flag?: Flag;
  environment?: string;
  test_id?: string;
  step_id?: string;
  model?: string;
  system_prompt?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** Parts of `prompt_tokens` read from a cache, and written to it (Anthropic); of `completion_tokens`, reasoning. */
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  /** The provider's usage object as it came, as phospho 1.3 returned it. A getter, not an own property: never sent. */
  usage?: JsonValue;
  /**
   * Milliseconds from the log call (or the stream's start) to the end of the output: set for streams and for
   * an `output` given as a Promise.
   */
  latency_ms?: number;
  /** Milliseconds from the stream's start to its first chunk. Streams only. */
  time_to_first_token_ms?: number;
  stream_status?: StreamStatus;
  /** The task's steps, from `log({ steps })`. */
  steps?: JsonValue;
}

/** What `phospho.stats()` returns. Counts are events since `init`. */
export interface PhosphoStats {
  /** Events accepted by `log()` (after sampling). */
  logged: number;
  /** Events waiting in memory, not yet sent. */
  queued: number;
  /** Events acknowledged by the collector. */
  sent: number;
  /** Requests sent again after a retryable failure. */
  retried: number;
  /** Events written to the spool directory (`spoolDir`) because they could not be delivered. */
  spooled: number;
  /**
   * Events read back from the spool (written by this client or an earlier process) and acknowledged by the
   * collector; also counted in `sent`, not in `logged`.
   */
  redelivered: number;
  /** Events given up, by reason (`queue_full`, `rejected`, `retries_exhausted`, `unauthorized`, …). */
  dropped: Record<string, number>;
  /** Total of `dropped`. */
  droppedTotal: number;
  /** Feedback requests acknowledged by the collector. */
  feedbackSent: number;
  /** Feedback requests given up. */
  feedbackDropped: number;
}

export interface UserFeedbackParams {
  taskId: string;
  /** Accepted for phospho 1.3 code; the client's own project is used. */
  projectId?: string;
  /** Feedback value; derived from `rawFlag` when absent. Without both, no flag is sent (notes alone are fine). */
  flag?: Flag;
  notes?: string;
  /** Who gave the feedback. Default: `"user"`. */
  source?: string;
  /** A raw value (👍, 👎, a score, …) turned into a flag by `rawFlagToFlag`, or by the default mapping. */
  rawFlag?: unknown;
  rawFlagToFlag?: (rawFlag: unknown) => Flag;
}

export interface SendUserFeedbackParams extends UserFeedbackParams {
  /** Required: the project the task was logged to. Without it a warning is printed and nothing is sent. */
  projectId: string;
  /** With a key the authenticated route is used; without one (a browser), the spec's unauthenticated one. */
  apiKey?: string;
  /** Default: `http://127.0.0.1:7878/v2`. */
  baseUrl?: string;
  /** A `fetch`-compatible function. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
}

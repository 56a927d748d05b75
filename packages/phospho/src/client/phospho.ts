// The public client. It turns calls into events and hands them to the current pipeline; delivery, retries
// and queue bounds live below it (client → extract → queue → transport). Nothing here throws into the
// caller after `init`: background failures go to `onError`. The fields and methods of phospho 1.3 (`apiKey`,
// `logQueue`, `sendBatch()`, …) are kept so that code written for it runs unchanged; the README's migration
// section lists where this client deliberately differs. Over 400 lines because it is the one public class.

import { DEFAULT_BASE_URL, type PhosphoOptions, type ResolvedConfig } from "../config/options.js";
import { readEnv } from "../config/env.js";
import { isDisabled, resolveConfig } from "../config/resolve.js";
import { bareEvent, buildEvent, endStream, type BuiltEvent } from "../extract/event.js";
import { PhosphoConfigError, PhosphoError } from "../errors.js";
import { newSessionId, newTaskId } from "../internal/ids.js";
import { redactError } from "../internal/redact.js";
import { StatsCounter } from "../internal/stats.js";
import { settlesWithin, within } from "../internal/timers.js";
import { instrumentStream, isAsyncIterable, isSyncIterable, isThenable } from "../stream/instrument.js";
import { StreamRecorder } from "../stream/recorder.js";
import type { LogEvent, LogParams, PhosphoStats, UserFeedbackParams } from "../types.js";
import { registerExitFlush, unregisterExitFlush } from "./exit-hook.js";
import { nodeFeatures } from "../platform/features.js";
import { feedbackBody, nothingToSend } from "./feedback.js";
import { Pipeline } from "./pipeline.js";
import { wrapFunction } from "./wrap.js";

/** Awaits a value that may be a Promise; a rejection becomes the value (an Error is logged, not thrown). */
async function settle(value: unknown): Promise<unknown> {
  try {
    return await value;
  } catch (error) {
    return error;
  }
}

/** A stream to instrument: `stream: true` and an iterable output (a string is not one). */
function isStream(p: LogParams, value: unknown): value is object {
  return p.stream === true && (isAsyncIterable(value) || isSyncIterable(value));
}

/**
 * A worker or edge function: no page and no Node-like process (Cloudflare Workers without `nodejs_compat`,
 * Vercel Edge, Deno Deploy), or one of them recognised by its own global even with a `process` shim.
 */
function isWorkerRuntime(): boolean {
  const g = globalThis as {
    document?: unknown;
    process?: { on?: unknown };
    WebSocketPair?: unknown;
    EdgeRuntime?: unknown;
  };
  if (g.document !== undefined) return false;
  if (g.WebSocketPair !== undefined || g.EdgeRuntime !== undefined) return true;
  return typeof g.process?.on !== "function";
}

export class Phospho {
  /** The current pipeline; its `config` also holds the limits every event is built with. */
  #pipeline: Pipeline | undefined;
  #disabled = false;
  #initialised = false;
  #stats = new StatsCounter();
  /** Pipelines replaced by a later `init()`, still flushing. */
  #closing = new Set<Promise<boolean>>();
  /** Logs whose input or output is still a pending Promise, by task id. */
  #pending = new Map<string, Promise<unknown>>();
  #warned = new Set<string>();
  #shutdown: Promise<boolean> | undefined;
  #exitFlushedAt = -1;
  /** Kept after `shutdown()`, so late failures still reach `onError` and stay redacted. */
  #reporting: { apiKey?: string | undefined; onError?: ((error: PhosphoError) => void) | undefined } = {};

  /** Set when `init()` found no API key or project id (and `strict` was off): logs are counted, not sent. */
  #notConfigured = false;
  /** What `init()` was given or found in the environment, for the phospho 1.3 fields. */
  #given: {
    apiKey?: string | undefined;
    projectId?: string | undefined;
    baseUrl?: string | undefined;
    pathToHash?: PhosphoOptions["pathToHash"] | undefined;
  } = {};
  /** Send each log at once: set in runtimes with neither Node features nor a page (workers, edge). */
  #eager = false;

  /** Id of the last task logged or created by `newTask()`; `null` before. */
  latestTaskId: string | null = null;
  /** Session id of the last log (`null` when it had none), or the last one made by `newSession()`. */
  latestSessionId: string | null = null;

  constructor(options?: PhosphoOptions) {
    if (options) void this.init(options);
  }

  /** The API key in use (phospho 1.3 field). Not an own property: `console.log(phospho)` does not show it. */
  get apiKey(): string | undefined {
    return this.#given.apiKey;
  }

  get projectId(): string | undefined {
    return this.#given.projectId;
  }

  get baseUrl(): string {
    return this.#pipeline?.config.baseUrl ?? this.#given.baseUrl ?? DEFAULT_BASE_URL;
  }

  /** phospho 1.3's name for `flushIntervalMs`. */
  get tick(): number {
    return this.#pipeline?.config.flushIntervalMs ?? 1000;
  }

  /** The version sent with every task: `versionId`, or the `pathToHash` hash once ready; `null` when none. */
  get versionId(): string | null {
    return this.#pipeline?.config.versionId ?? null;
  }

  get pathToHash(): string | string[] | null | undefined {
    return this.#given.pathToHash;
  }

  /**
   * The events waiting to be sent, by task id, in phospho 1.3's shape (`{ id, content, toLog }`). A copy:
   * changing it changes nothing.
   */
  get logQueue(): Map<string, { id: string; content: LogEvent; toLog: boolean }> {
    return new Map(
      (this.#pipeline?.queuedEventList() ?? []).map((event) => [
        event.task_id,
        { id: event.task_id, content: event, toLog: true },
      ]),
    );
  }

  /** `true` once `init()` found an API key and a project id (and logging is enabled). */
  isInitialized(): boolean {
    return this.#pipeline !== undefined;
  }

  /** Sends what is queued now (phospho 1.3's name). Resolves when done; `flush()` also tells if it worked. */
  async sendBatch(): Promise<void> {
    await this.flush();
  }

  /**
   * Configures the client. Returns a Promise, as phospho 1.3 did, that resolves once `pathToHash` (if any)
   * is hashed; it never rejects. A missing API key or project id is reported once and makes every log a
   * no-op counted as `dropped.not_configured`, unless `strict: true`, which throws `PhosphoConfigError`
   * (synchronously). An invalid option value always throws. Calling it again reconfigures: the previous
   * queue is flushed with the previous settings, and its timer stopped.
   */
  init(options: PhosphoOptions = {}): Promise<void> {
    const disabled = isDisabled(options);
    const given = {
      apiKey: options.apiKey ?? readEnv("PHOSPHO_API_KEY"),
      projectId: options.projectId ?? readEnv("PHOSPHO_PROJECT_ID"),
      baseUrl: options.baseUrl ?? readEnv("PHOSPHO_BASE_URL"),
      pathToHash: options.pathToHash,
    };
    let config: ResolvedConfig | undefined;
    let missing: PhosphoConfigError | undefined;
    if (!disabled) {
      try {
        config = resolveConfig(options);
      } catch (error) {
        // Only a missing key or project names an environment variable (`resolveConfig`'s `required`).
        const isMissing = error instanceof PhosphoConfigError && error.envVar !== undefined;
        if (!isMissing || options.strict === true) throw error;
        missing = error;
        // The rest of the options must still be valid: checked with placeholders for what is missing.
        resolveConfig({ ...options, apiKey: "-", projectId: "-" });
      }
    }
    const previous = this.#pipeline;
    this.#initialised = true;
    this.#disabled = disabled;
    this.#notConfigured = missing !== undefined;
    this.#given = given;
    // The key is the config's own (the same value, read the same way) when there is a config.
    if (!disabled) this.#reporting = { apiKey: given.apiKey, onError: options.onError };
    this.#shutdown = undefined;
    this.#pipeline = undefined;
    if (previous) this.#retire(previous);
    if (missing) {
      this.#report(
        new PhosphoConfigError(
          missing.option,
          `${missing.message}; logs only counted (stats().dropped.not_configured)`,
          missing.envVar,
        ),
      );
    }
    if (!config) {
      unregisterExitFlush(this);
      return Promise.resolve();
    }
    return this.#start(config);
  }

  #start(config: ResolvedConfig): Promise<void> {
    // Redacted with this pipeline's own key too: after a re-init its late errors must not leak the old key.
    const pipeline = new Pipeline(config, this.#stats, (error) =>
      this.#report(redactError(error, config.apiKey)),
    );
    this.#pipeline = pipeline;
    registerExitFlush(this);
    const node = nodeFeatures();
    this.#eager = !node && isWorkerRuntime();
    const needsNode = [config.spoolDir && "spoolDir", config.pathToHash && "pathToHash"].filter(Boolean);
    if (!node && needsNode.length > 0) {
      this.#report(
        new PhosphoConfigError(
          String(needsNode[0]),
          `${needsNode.join(" and ")} need Node, Bun or Deno; ignored`,
        ),
      );
    }
    if (config.pathToHash && config.versionId === undefined && node) {
      // Set on this pipeline's config, the limits its events are built with; a later `init()` has its own.
      return node
        .versionOf(config.pathToHash, (error) => this.#report(error))
        .then((hash) => {
          config.versionId = hash;
        });
    }
    return Promise.resolve();
  }

  #retire(pipeline: Pipeline): void {
    const closing = pipeline.close(pipeline.config.shutdownTimeoutMs).catch(() => false);
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }

  #report(error: PhosphoError): void {
    const safe = redactError(error, this.#reporting.apiKey);
    const onError = this.#reporting.onError;
    if (onError) {
      try {
        onError(safe);
      } catch {
        // A failing hook must not turn into an unhandled rejection.
      }
      return;
    }
    const key = `${safe.code}:${(safe as { reason?: string }).reason ?? ""}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    console.warn(`[phospho] ${safe.message}`);
  }

  /** A failure of the SDK's own code inside a public method: reported, never thrown to the caller. */
  #internal(method: string, error: unknown): void {
    this.#report(new PhosphoError("internal", `phospho.${method}() failed internally: ${String(error)}`));
  }

  /**
   * Logs one task. Resolves to the logged content (`task_id`, `input`, `output`, `raw_input`, …) without
   * waiting for delivery. Never throws and never rejects.
   */
  log(params: LogParams): Promise<LogEvent> {
    let taskId = "";
    const p: LogParams = params !== null && typeof params === "object" ? params : { input: params };
    try {
      taskId =
        typeof p.taskId === "string" ? p.taskId : typeof p.task_id === "string" ? p.task_id : newTaskId();
      this.latestTaskId = taskId;
      const sessionId = p.sessionId ?? p.session_id;
      this.latestSessionId = typeof sessionId === "string" ? sessionId : null;
      const pipeline = this.#pipeline;
      const rate = pipeline?.config.sampleRate ?? 1;
      if (!pipeline) {
        if (!this.#disabled) {
          // No key or project (or not initialised yet): a no-op, but counted, so the loss is visible.
          this.#stats.drop("not_configured", 1);
          if (!this.#notConfigured) this.#warnNotReady();
        }
      } else if (!(rate < 1 && Math.random() >= rate)) {
        if (!isThenable(p.output) && isStream(p, p.output)) {
          // Instrumented synchronously: the caller's loop usually starts right after this call.
          return this.#logStream(pipeline, p, taskId, p.input, p.output);
        }
        if (isThenable(p.input) || isThenable(p.output)) {
          const pending = this.#logAsync(pipeline, p, taskId, Date.now());
          this.#pending.set(taskId, pending);
          void pending.finally(() => {
            if (this.#pending.get(taskId) === pending) this.#pending.delete(taskId);
          });
          return pending;
        }
        return Promise.resolve(this.#accept(pipeline, p, taskId, p.input, p.output));
      }
    } catch (error) {
      this.#internal("log", error);
      taskId ||= newTaskId();
    }
    // Not queued (disabled, not configured, sampled out, or an internal failure): the content, uncopied.
    return Promise.resolve(bareEvent(p, taskId, this.#pipeline?.config.projectId ?? ""));
  }

  #warnNotReady(): void {
    this.#report(
      new PhosphoConfigError(
        "init",
        this.#initialised
          ? "phospho is shut down: call init() again to log"
          : "phospho.log() before phospho.init(): not logged",
      ),
    );
  }

  async #logAsync(pipeline: Pipeline, p: LogParams, taskId: string, startedAt: number): Promise<LogEvent> {
    try {
      // An output given as a Promise: its latency is from the log() call to its settling.
      let latencyMs: number | undefined;
      const [input, output] = await Promise.all([
        settle(p.input),
        isThenable(p.output)
          ? settle(p.output).then((value) => {
              latencyMs = Date.now() - startedAt;
              return value;
            })
          : p.output,
      ]);
      if (isStream(p, output)) return this.#logStream(pipeline, p, taskId, input, output);
      const built = buildEvent(p, taskId, input, output, pipeline.config);
      if (latencyMs !== undefined) built.event.latency_ms = latencyMs;
      return this.#enqueue(pipeline, p, built);
    } catch (error) {
      this.#internal("log", error);
      return bareEvent(p, taskId, pipeline.config.projectId);
    }
  }

  /**
   * Instruments the stream; one event is queued when it ends. Resolves at once with the content so far
   * (`output: null`), since the caller may await `log()` before reading the stream.
   */
  async #logStream(
    pipeline: Pipeline,
    p: LogParams,
    taskId: string,
    input: unknown,
    output: object,
  ): Promise<LogEvent> {
    const limits = pipeline.config;
    const inputReady = settle(input);
    // Built once the input is there, and finished when the stream ends (the recorder may end first).
    const started = inputReady.then((resolved) => buildEvent(p, taskId, resolved, undefined, limits, true));
    const recorder = new StreamRecorder((result) => {
      void started.then((built) => this.#enqueue(pipeline, p, endStream(built, p, limits, result)));
    });
    if (!instrumentStream(output, recorder))
      return this.#accept(pipeline, p, taskId, await inputReady, output);
    return (await started).event;
  }

  #accept(pipeline: Pipeline, p: LogParams, taskId: string, input: unknown, output: unknown): LogEvent {
    return this.#enqueue(pipeline, p, buildEvent(p, taskId, input, output, pipeline.config));
  }

  /** Queues the event (merged into a queued one of the same task, if any); returns it as queued. */
  #enqueue(pipeline: Pipeline, p: LogParams, { event, size }: BuiltEvent): LogEvent {
    if (pipeline !== this.#pipeline) {
      // The client was re-initialised or shut down while this log was pending: not queued.
      this.#warnNotReady();
      return event;
    }
    // Only a task id the caller chose can come again: a generated one is unique.
    const mergeable = typeof p.taskId === "string" || typeof p.task_id === "string";
    const queued = pipeline.enqueueEvent(
      event,
      size,
      mergeable,
      p.concatenateRawOutputsIfTaskIdExists !== false,
    );
    if (!queued.merged) this.#stats.logged++;
    const waitUntil = pipeline.config.waitUntil;
    if (waitUntil) {
      try {
        waitUntil(this.flush());
      } catch {
        // The platform hook failing must not fail the log.
      }
    }
    // Workers and edge functions (no page, no Node): a timer may never fire once the response is sent, so
    // without `waitUntil` the log is sent now, while the request that made it is still running.
    else if (this.#eager) pipeline.sendNow();
    return queued.event;
  }

  /**
   * Wraps a function so that each call is logged: the first argument (or all of them) as input, the result
   * as output. Keeps `this`, stays sync or async like `fn`, and logs streamed results once they end.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  wrap<F extends (...args: any[]) => any>(fn: F, extra: Omit<LogParams, "input" | "output"> = {}): F {
    return wrapFunction(this, fn, extra, (error) => this.#internal("wrap", error));
  }

  /** Starts a new session; its id is returned and kept as `latestSessionId`. */
  newSession(): string {
    return (this.latestSessionId = newSessionId());
  }

  /** Makes a new task id, kept as `latestTaskId`; pass it to `log({ taskId })`. */
  newTask(): string {
    return (this.latestTaskId = newTaskId());
  }

  /**
   * Records user feedback on a task. Sent with the API key; when the task is still pending or queued, the
   * feedback is sent after it. Resolves to the updated task as the collector returns it, or `undefined` when
   * nothing was sent (no flag, raw flag nor notes; no task id; not configured) or delivery failed, which is
   * reported through `onError`. Never rejects. `projectId` is accepted for phospho 1.3 code and ignored.
   */
  async userFeedback(params: UserFeedbackParams): Promise<unknown> {
    const pipeline = this.#pipeline;
    if (typeof params?.taskId !== "string" || params.taskId === "") {
      this.#report(new PhosphoConfigError("taskId", "userFeedback: taskId is required"));
      return undefined;
    }
    if (!pipeline) {
      if (!this.#disabled && !this.#notConfigured) this.#warnNotReady();
      return undefined;
    }
    const body = feedbackBody(params, pipeline.config.projectId, pipeline.config.mask);
    if (!body) {
      this.#report(new PhosphoConfigError("flag", nothingToSend("userFeedback")));
      return undefined;
    }
    const pending = this.#pending.get(params.taskId);
    if (pending) await pending.catch(() => undefined);
    const result = await (this.#pipeline ?? pipeline).enqueueFeedback(params.taskId, body);
    return result.ok ? result.task : undefined;
  }

  /**
   * Resolves `true` once everything logged before the call has been acknowledged by the collector, `false`
   * if `timeoutMs` passes first or some events could not be delivered. Never rejects.
   */
  flush(timeoutMs?: number): Promise<boolean> {
    return within(
      (async () => {
        await Promise.allSettled([...this.#pending.values()]);
        const results = await Promise.all([
          ...this.#closing,
          this.#pipeline?.flush() ?? Promise.resolve(true),
        ]);
        return results.every(Boolean);
      })(),
      timeoutMs,
    );
  }

  /**
   * Flushes (up to `timeoutMs`, default `shutdownTimeoutMs`), stops the timer and detaches from the process.
   * Later logs are not sent until `init()` is called again. Idempotent; never rejects.
   */
  shutdown(timeoutMs?: number): Promise<boolean> {
    this.#shutdown ??= (async () => {
      const pipeline = this.#pipeline;
      const timeout = timeoutMs ?? pipeline?.config.shutdownTimeoutMs ?? 5000;
      try {
        await settlesWithin(Promise.allSettled([...this.#pending.values()]), timeout);
        this.#pipeline = undefined;
        unregisterExitFlush(this);
        const results = await Promise.all([
          ...this.#closing,
          pipeline?.close(timeout) ?? Promise.resolve(true),
        ]);
        return results.every(Boolean);
      } catch {
        return false;
      }
    })();
    return this.#shutdown;
  }

  /** Counters since this client was created. */
  stats(): PhosphoStats {
    return this.#stats.snapshot(this.#pipeline?.queuedEvents ?? 0);
  }

  /** @internal Called when the page is hidden or left (browsers). */
  flushOnPageExit(final: boolean): void {
    this.#pipeline?.sendOnPageExit(final);
  }

  /** @internal Called by the Node `beforeExit` hook. */
  flushOnExit(): Promise<unknown> | undefined {
    const pipeline = this.#pipeline;
    if (!pipeline) return undefined;
    const busy = pipeline.hasWork || this.#pending.size > 0 || this.#closing.size > 0;
    // Once per batch of new logs: a flush that timed out must not make the process loop on `beforeExit`.
    if (!busy || this.#exitFlushedAt === this.#stats.logged) return undefined;
    this.#exitFlushedAt = this.#stats.logged;
    return this.flush(pipeline.config.shutdownTimeoutMs);
  }
}

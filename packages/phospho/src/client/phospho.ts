// The public client. It turns calls into events and hands them to the current pipeline; delivery, retries
// and queue bounds live below it (client → extract → queue → transport). Nothing here throws into the
// caller after `init`: background failures go to `onError`.

import type { PhosphoOptions } from "../config/options.js";
import { isDisabled, resolveConfig } from "../config/resolve.js";
import { hashDirectory } from "../config/version-hash.js";
import { bareEvent, buildEvent, type EventLimits } from "../extract/event.js";
import { PhosphoConfigError, PhosphoError } from "../errors.js";
import { newSessionId, newTaskId } from "../internal/ids.js";
import { redactError } from "../internal/redact.js";
import { StatsCounter } from "../internal/stats.js";
import { settlesWithin } from "../internal/timers.js";
import { instrumentStream, isAsyncIterable, isSyncIterable } from "../stream/instrument.js";
import { StreamRecorder, type StreamResult } from "../stream/recorder.js";
import type { LogEvent, LogParams, PhosphoStats, UserFeedbackParams } from "../types.js";
import { registerExitFlush, unregisterExitFlush } from "./exit-hook.js";
import { checkTaskId, feedbackBody } from "./feedback.js";
import { Pipeline } from "./pipeline.js";
import { wrapFunction } from "./wrap.js";

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Awaits a value that may be a Promise; a rejection becomes the value (an Error is logged, not thrown). */
async function settle(value: unknown): Promise<unknown> {
  try {
    return await value;
  } catch (error) {
    return error;
  }
}

export class Phospho {
  #pipeline: Pipeline | undefined;
  #limits: EventLimits | undefined;
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

  /** Id of the last task logged or created by `newTask()`. */
  latestTaskId: string | undefined;
  /** Id of the last session created by `newSession()` or used in a log. */
  latestSessionId: string | undefined;

  constructor(options?: PhosphoOptions) {
    if (options) this.init(options);
  }

  /**
   * Configures the client. Throws `PhosphoConfigError` when the API key or project id is missing (from both
   * options and environment) or an option is invalid. Calling it again reconfigures: the previous queue is
   * flushed with the previous settings, and its timer stopped.
   */
  init(options: PhosphoOptions = {}): this {
    const previous = this.#pipeline;
    const disabled = isDisabled(options);
    const config = disabled ? undefined : resolveConfig(options);
    this.#initialised = true;
    this.#disabled = disabled;
    this.#shutdown = undefined;
    this.#pipeline = undefined;
    this.#limits = undefined;
    if (previous) this.#retire(previous);
    if (!config) {
      unregisterExitFlush(this);
      return this;
    }
    this.#reporting = { apiKey: config.apiKey, onError: config.onError };
    // Redacted with this pipeline's own key too: after a re-init its late errors must not leak the old key.
    const pipeline = new Pipeline(config, this.#stats, (error) =>
      this.#report(redactError(error, config.apiKey)),
    );
    this.#pipeline = pipeline;
    this.#limits = {
      projectId: config.projectId,
      maxContentChars: config.maxContentChars,
      maxRawChars: config.maxRawChars,
      mask: config.mask,
      versionId: config.versionId,
      environment: config.environment,
    };
    registerExitFlush(this);
    if (config.spoolDir) {
      pipeline.loadSpool().catch((error: unknown) => {
        this.#report(new PhosphoError("internal", `could not read spoolDir: ${String(error)}`));
      });
    }
    if (config.pathToHash && config.versionId === undefined) {
      const limits = this.#limits;
      hashDirectory(config.pathToHash).then(
        (hash) => {
          limits.versionId = hash;
        },
        (error: unknown) =>
          this.#report(new PhosphoError("internal", `could not hash pathToHash: ${String(error)}`)),
      );
    }
    return this;
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

  #bare(params: LogParams, taskId: string): LogEvent {
    return bareEvent(params, taskId, this.#limits?.projectId ?? "");
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
      if (typeof sessionId === "string") this.latestSessionId = sessionId;
      const pipeline = this.#pipeline;
      const limits = this.#limits;
      if (!pipeline || !limits) {
        if (!this.#disabled) this.#warnNotReady();
        return Promise.resolve(this.#bare(p, taskId));
      }
      const rate = pipeline.config.sampleRate;
      if (rate < 1 && Math.random() >= rate) return Promise.resolve(this.#bare(p, taskId));
      if (
        p.stream === true &&
        !isThenable(p.output) &&
        (isAsyncIterable(p.output) || isSyncIterable(p.output))
      ) {
        // Instrumented synchronously: the caller's loop usually starts right after this call.
        return this.#logStream(pipeline, limits, p, taskId, p.input, p.output as object);
      }
      if (isThenable(p.input) || isThenable(p.output)) {
        const pending = this.#logAsync(pipeline, limits, p, taskId);
        this.#pending.set(taskId, pending);
        void pending.finally(() => {
          if (this.#pending.get(taskId) === pending) this.#pending.delete(taskId);
        });
        return pending;
      }
      return Promise.resolve(this.#accept(pipeline, limits, p, taskId, p.input, p.output));
    } catch (error) {
      this.#report(new PhosphoError("internal", `phospho.log() failed internally: ${String(error)}`));
      return Promise.resolve(this.#bare(p, taskId || newTaskId()));
    }
  }

  #warnNotReady(): void {
    this.#report(
      new PhosphoConfigError(
        "init",
        this.#initialised
          ? "phospho is shut down: call phospho.init() again to log"
          : "phospho.log() was called before phospho.init(): the task was not logged",
      ),
    );
  }

  async #logAsync(pipeline: Pipeline, limits: EventLimits, p: LogParams, taskId: string): Promise<LogEvent> {
    try {
      const [input, output] = await Promise.all([settle(p.input), settle(p.output)]);
      if (
        p.stream === true &&
        (isAsyncIterable(output) || isSyncIterable(output)) &&
        typeof output !== "string"
      ) {
        return this.#logStream(pipeline, limits, p, taskId, input, output);
      }
      return this.#accept(pipeline, limits, p, taskId, input, output);
    } catch (error) {
      this.#report(new PhosphoError("internal", `phospho.log() failed internally: ${String(error)}`));
      return this.#bare(p, taskId);
    }
  }

  /**
   * Instruments the stream; one event is queued when it ends. Resolves at once with the content so far
   * (`output: null`), since the caller may await `log()` before reading the stream.
   */
  async #logStream(
    pipeline: Pipeline,
    limits: EventLimits,
    p: LogParams,
    taskId: string,
    input: unknown,
    output: object,
  ): Promise<LogEvent> {
    const inputReady = isThenable(input) ? settle(input) : Promise.resolve(input);
    const recorder = new StreamRecorder((result) => {
      void inputReady.then((resolved) => this.#acceptStream(pipeline, limits, p, taskId, resolved, result));
    });
    const instrumented = instrumentStream(output, recorder);
    const resolvedInput = await inputReady;
    if (!instrumented) return this.#accept(pipeline, limits, p, taskId, resolvedInput, output);
    return buildEvent(p, taskId, resolvedInput, undefined, limits, { text: null }).event;
  }

  #acceptStream(
    pipeline: Pipeline,
    limits: EventLimits,
    p: LogParams,
    taskId: string,
    input: unknown,
    result: StreamResult,
  ): void {
    const built = buildEvent(p, taskId, input, undefined, limits, {
      text: result.text,
      usage: result.accumulator.usage,
    });
    const event = built.event;
    event.raw_output_type_name = "stream";
    if (result.accumulator.model !== undefined) event.model = result.accumulator.model;
    event.latency_ms = result.latencyMs;
    if (result.timeToFirstTokenMs !== undefined) event.time_to_first_token_ms = result.timeToFirstTokenMs;
    event.stream_status = result.status;
    this.#enqueue(pipeline, event, built.size);
  }

  #accept(
    pipeline: Pipeline,
    limits: EventLimits,
    p: LogParams,
    taskId: string,
    input: unknown,
    output: unknown,
  ): LogEvent {
    const built = buildEvent(p, taskId, input, output, limits);
    this.#enqueue(pipeline, built.event, built.size);
    return built.event;
  }

  #enqueue(pipeline: Pipeline, event: LogEvent, size: number): void {
    if (pipeline !== this.#pipeline) {
      // The client was re-initialised or shut down while this log was pending: not queued.
      this.#warnNotReady();
      return;
    }
    this.#stats.logged++;
    pipeline.enqueueEvent(event, size);
    const waitUntil = pipeline.config.waitUntil;
    if (waitUntil) {
      try {
        waitUntil(this.flush());
      } catch {
        // The platform hook failing must not fail the log.
      }
    }
  }

  /**
   * Wraps a function so that each call is logged: the first argument (or all of them) as input, the result
   * as output. Keeps `this`, stays sync or async like `fn`, and logs streamed results once they end.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  wrap<F extends (...args: any[]) => any>(fn: F, extra: Omit<LogParams, "input" | "output"> = {}): F {
    return wrapFunction(this, fn, extra, (error) =>
      this.#report(new PhosphoError("internal", `phospho.wrap() failed internally: ${String(error)}`)),
    );
  }

  /** Starts a new session; its id is returned and kept as `latestSessionId`. */
  newSession(): string {
    this.latestSessionId = newSessionId();
    return this.latestSessionId;
  }

  /** Makes a new task id, kept as `latestTaskId`; pass it to `log({ taskId })`. */
  newTask(): string {
    this.latestTaskId = newTaskId();
    return this.latestTaskId;
  }

  /**
   * Records user feedback on a task. Sent with the API key; when the task is still pending or queued, the
   * feedback is sent after it. Resolves once queued; throws only for a missing `taskId`.
   */
  async userFeedback(params: UserFeedbackParams): Promise<void> {
    checkTaskId(params?.taskId);
    const pipeline = this.#pipeline;
    if (!pipeline) {
      if (!this.#disabled) this.#warnNotReady();
      return;
    }
    const body = feedbackBody(params, pipeline.config.projectId);
    const pending = this.#pending.get(params.taskId);
    if (pending) await pending.catch(() => undefined);
    (this.#pipeline ?? pipeline).enqueueFeedback(params.taskId, body);
  }

  /**
   * Resolves `true` once everything logged before the call has been acknowledged by the collector, `false`
   * if `timeoutMs` passes first or some events could not be delivered. Never rejects.
   */
  async flush(timeoutMs?: number): Promise<boolean> {
    try {
      const work = (async () => {
        await Promise.allSettled([...this.#pending.values()]);
        const results = await Promise.all([
          ...this.#closing,
          this.#pipeline?.flush() ?? Promise.resolve(true),
        ]);
        return results.every(Boolean);
      })();
      let ok = false;
      const inTime = await settlesWithin(
        work.then((value) => {
          ok = value;
        }),
        timeoutMs,
      );
      return inTime && ok;
    } catch {
      return false;
    }
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
        this.#limits = undefined;
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

// Makes the caller's own stream object report to a recorder, without replacing it: the same object keeps
// its methods (`tee()`, `toReadableStream()`, `controller`). Iteration goes through a wrapper that passes
// every chunk on unchanged and records how the stream ended, so `break`, abort and errors still produce one
// record.

import type { StreamStatus } from "../types.js";
import type { StreamRecorder } from "./recorder.js";

function isAbortLike(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && /abort/i.test(name);
}

function wasAborted(target: object): boolean {
  const controller = (target as { controller?: { signal?: { aborted?: unknown } } }).controller;
  return controller?.signal?.aborted === true;
}

/** `value` is an object or a function with a method `key`. */
function hasMethod(value: unknown, key: PropertyKey, functionToo = true): boolean {
  return (
    value !== null &&
    (typeof value === "object" || (functionToo && typeof value === "function")) &&
    typeof (value as Record<PropertyKey, unknown>)[key] === "function"
  );
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return hasMethod(value, "then");
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return hasMethod(value, Symbol.asyncIterator);
}

/** An object with `[Symbol.iterator]` (a string is not one). */
export function isSyncIterable(value: unknown): value is Iterable<unknown> {
  return hasMethod(value, Symbol.iterator, false);
}

/**
 * The consumer's iterator over an async stream. Written by hand rather than as an async generator: a
 * generator costs several promise turns per chunk on top of the source's own, and a 50-chunk stream paid for
 * that on every `log({ stream: true })`. Same contract: chunks pass through unchanged, and the recorder ends
 * once, as the stream completes, fails, or is left early (`return()`).
 */
class RecordingIterator implements AsyncIterator<unknown> {
  readonly #target: object;
  readonly #inner: AsyncIterator<unknown>;
  readonly #recorder: StreamRecorder;
  #started = false;

  constructor(target: object, inner: AsyncIterator<unknown>, recorder: StreamRecorder) {
    this.#target = target;
    this.#inner = inner;
    this.#recorder = recorder;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(...args: [] | [unknown]): Promise<IteratorResult<unknown>> {
    this.#started = true;
    try {
      return Promise.resolve(this.#inner.next(...args)).then(
        (step) => {
          if (step.done) this.#recorder.end(wasAborted(this.#target) ? "cancelled" : "completed");
          else this.#recorder.chunk(step.value);
          return step;
        },
        (error: unknown) => this.#fail(error),
      );
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** The consumer left early (`break`, `return`): the source is closed and the stream logged as cancelled. */
  async return(value?: unknown): Promise<IteratorResult<unknown>> {
    if (this.#started) await this.#close();
    return { done: true, value };
  }

  async throw(error?: unknown): Promise<IteratorResult<unknown>> {
    return this.#fail(error);
  }

  async #close(): Promise<void> {
    try {
      await this.#inner.return?.();
    } catch {
      // The source's own cleanup failing is not the consumer's problem.
    }
    this.#recorder.end("cancelled");
  }

  async #fail(error: unknown): Promise<never> {
    // Not `wasAborted()` here: openai-node aborts its own controller when a stream fails.
    if (isAbortLike(error)) await this.#close();
    else this.#recorder.end("error");
    throw error;
  }
}

function* wrapSync(
  inner: Iterator<unknown>,
  recorder: StreamRecorder,
): Generator<unknown, unknown, undefined> {
  let status: StreamStatus = "cancelled";
  try {
    for (;;) {
      const step = inner.next();
      if (step.done) {
        status = "completed";
        return step.value;
      }
      recorder.chunk(step.value);
      yield step.value;
    }
  } catch (error) {
    status = "error";
    throw error;
  } finally {
    if (status === "cancelled") {
      try {
        inner.return?.();
      } catch {
        // As above.
      }
    }
    recorder.end(status);
  }
}

function define(target: object, key: PropertyKey, value: unknown): boolean {
  try {
    Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
    return true;
  } catch {
    return false;
  }
}

/** Instruments `target` in place. Returns `false` when it cannot be (not iterable, frozen). */
export function instrumentStream(target: unknown, recorder: StreamRecorder): boolean {
  const obj = target as Record<PropertyKey, unknown>;
  if (isAsyncIterable(target)) {
    // openai-node and @anthropic-ai/sdk streams: `[Symbol.asyncIterator]()`, `tee()` and `toReadableStream()`
    // all go through the instance's `iterator` function, so wrapping it covers every way of reading.
    if (typeof obj.iterator === "function" && Object.hasOwn(obj, "iterator")) {
      const original = obj.iterator as () => AsyncIterator<unknown>;
      return define(obj, "iterator", () => new RecordingIterator(obj, original.call(obj), recorder));
    }
    const original = obj[Symbol.asyncIterator] as () => AsyncIterator<unknown>;
    return define(obj, Symbol.asyncIterator, function (this: object) {
      return new RecordingIterator(obj, original.call(this), recorder);
    });
  }
  if (isSyncIterable(target)) {
    const original = obj[Symbol.iterator] as () => Iterator<unknown>;
    return define(obj, Symbol.iterator, function (this: object) {
      return wrapSync(original.call(this), recorder);
    });
  }
  return false;
}

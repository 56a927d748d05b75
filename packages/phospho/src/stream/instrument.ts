// Makes the caller's own stream object report to a recorder, without replacing it: the same object keeps
// its methods (`tee()`, `toReadableStream()`, `controller`). Iteration goes through a wrapper that yields
// every chunk unchanged and records in `finally`, so `break`, abort and errors still produce one record.

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

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

export function isSyncIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

async function* wrapAsync(
  target: object,
  inner: AsyncIterator<unknown>,
  recorder: StreamRecorder,
): AsyncGenerator<unknown, unknown, undefined> {
  let status: StreamStatus = "cancelled";
  try {
    for (;;) {
      const step = await inner.next();
      if (step.done) {
        status = wasAborted(target) ? "cancelled" : "completed";
        return step.value;
      }
      recorder.chunk(step.value);
      yield step.value;
    }
  } catch (error) {
    // Not `wasAborted()` here: openai-node aborts its own controller when a stream fails.
    status = isAbortLike(error) ? "cancelled" : "error";
    throw error;
  } finally {
    if (status === "cancelled") {
      try {
        await inner.return?.();
      } catch {
        // The source's own cleanup failing is not the consumer's problem.
      }
    }
    recorder.end(status);
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
  if (target === null || (typeof target !== "object" && typeof target !== "function")) return false;
  const obj = target as Record<PropertyKey, unknown>;
  // openai-node and @anthropic-ai/sdk streams: `[Symbol.asyncIterator]()`, `tee()` and `toReadableStream()`
  // all go through the instance's `iterator` function, so wrapping it covers every way of reading.
  if (isAsyncIterable(target) && typeof obj.iterator === "function" && Object.hasOwn(obj, "iterator")) {
    const original = obj.iterator as () => AsyncIterator<unknown>;
    return define(obj, "iterator", () => wrapAsync(obj, original.call(obj), recorder));
  }
  if (isAsyncIterable(target)) {
    const original = obj[Symbol.asyncIterator] as () => AsyncIterator<unknown>;
    return define(obj, Symbol.asyncIterator, function (this: object) {
      return wrapAsync(obj, original.call(this), recorder);
    });
  }
  if (isSyncIterable(target) && typeof target !== "string") {
    const original = obj[Symbol.iterator] as () => Iterator<unknown>;
    return define(obj, Symbol.iterator, function (this: object) {
      return wrapSync(original.call(this), recorder);
    });
  }
  return false;
}

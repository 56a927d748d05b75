// Makes a provider's own stream object report its chunks, without replacing it: the same object keeps `tee()`,
// `toReadableStream()` and `controller`. Iteration goes through a generator that yields every chunk unchanged
// and reports in `finally`, so a `break`, an abort or an error still ends the record exactly once.

import type { StreamStatus } from "./core.js";
import { isAbort } from "./measure.js";

export interface StreamObserver {
  chunk(value: unknown): void;
  end(status: StreamStatus, error?: unknown): void;
}

function aborted(target: object): boolean {
  const controller = (target as { controller?: { signal?: { aborted?: unknown } } }).controller;
  return controller?.signal?.aborted === true;
}

async function* observed(
  target: object,
  inner: AsyncIterator<unknown>,
  observer: StreamObserver,
): AsyncGenerator<unknown, unknown, undefined> {
  let status: StreamStatus = "cancelled";
  let failure: unknown;
  try {
    for (;;) {
      const step = await inner.next();
      if (step.done) {
        // openai-node ends the iteration quietly when its controller is aborted.
        status = aborted(target) ? "cancelled" : "completed";
        return step.value;
      }
      try {
        observer.chunk(step.value);
      } catch {
        // A chunk the adapter does not understand must not break the caller's loop.
      }
      yield step.value;
    }
  } catch (error) {
    status = isAbort(error) ? "cancelled" : "error";
    failure = error;
    throw error;
  } finally {
    if (status === "cancelled" && failure === undefined) {
      try {
        await inner.return?.();
      } catch {
        // The source's own cleanup failing is not the caller's problem.
      }
    }
    observer.end(status, failure);
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

/** Observes `stream` in place; `false` when it cannot (not async iterable, frozen). */
export function observeStream(stream: unknown, observer: StreamObserver): boolean {
  if (stream === null || typeof stream !== "object") return false;
  const obj = stream as Record<PropertyKey, unknown>;
  if (typeof obj[Symbol.asyncIterator] !== "function") return false;
  let ended = false;
  const once: StreamObserver = {
    chunk: (value) => observer.chunk(value),
    end: (status, error) => {
      if (ended) return;
      ended = true;
      observer.end(status, error);
    },
  };
  // openai-node and @anthropic-ai/sdk: `[Symbol.asyncIterator]()`, `tee()` and `toReadableStream()` all read
  // through the instance's own `iterator` function, so wrapping it covers every way of reading.
  if (typeof obj.iterator === "function" && Object.hasOwn(obj, "iterator")) {
    const original = obj.iterator as () => AsyncIterator<unknown>;
    return define(obj, "iterator", () => observed(obj, original.call(obj), once));
  }
  const original = obj[Symbol.asyncIterator] as () => AsyncIterator<unknown>;
  return define(obj, Symbol.asyncIterator, function (this: object) {
    return observed(obj, original.call(this), once);
  });
}

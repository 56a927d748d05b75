// Makes a provider's own stream object report its chunks, without replacing it: the same object keeps `tee()`,
// `toReadableStream()` and `controller`. Iteration goes through an iterator that passes every chunk on
// unchanged and reports the end however it comes (done, `break`, abort, error), exactly once.

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

/**
 * An iterator over `inner` that reports each chunk and the end. A plain object rather than an async generator,
 * and one `then` per chunk with nothing between it and the observer: streams have hundreds of small chunks.
 */
function observed(
  target: object,
  inner: AsyncIterator<unknown>,
  observer: StreamObserver,
  end: StreamObserver["end"],
): AsyncIterableIterator<unknown> {
  const onStep = (step: IteratorResult<unknown>) => {
    if (!step.done) {
      try {
        observer.chunk(step.value);
      } catch {
        // A chunk the adapter does not understand must not break the caller's loop.
      }
    } else {
      // openai-node ends the iteration quietly when its controller is aborted.
      end(aborted(target) ? "cancelled" : "completed");
    }
    return step;
  };
  const onError = (error: unknown): never => {
    end(isAbort(error) ? "cancelled" : "error", error);
    throw error;
  };
  return {
    next: () => inner.next().then(onStep, onError),
    return: (value?: unknown) => {
      // The caller left early (`break`, `return`): the source is closed, as an async generator would be.
      end("cancelled");
      return inner.return
        ? inner.return(value).catch(() => ({ done: true, value }))
        : Promise.resolve({ done: true, value });
    },
    throw: (error?: unknown) => {
      end("error", error);
      return inner.throw ? inner.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Replaces a method on the instance; plain assignment first, which keeps the object's shape (and speed). */
function define(target: Record<PropertyKey, unknown>, key: PropertyKey, value: unknown): boolean {
  try {
    target[key] = value;
    if (target[key] === value) return true;
  } catch {
    // Read-only: try defining it instead.
  }
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
  // Reported once, whichever comes first (a `return()` after the last chunk, an error after an abort).
  const end: StreamObserver["end"] = (status, error) => {
    if (ended) return;
    ended = true;
    observer.end(status, error);
  };
  // openai-node and @anthropic-ai/sdk: `[Symbol.asyncIterator]()`, `tee()` and `toReadableStream()` all read
  // through the instance's own `iterator` function, so wrapping it covers every way of reading.
  if (typeof obj.iterator === "function" && Object.hasOwn(obj, "iterator")) {
    const original = obj.iterator as () => AsyncIterator<unknown>;
    return define(obj, "iterator", () => observed(obj, original.call(obj), observer, end));
  }
  const original = obj[Symbol.asyncIterator] as () => AsyncIterator<unknown>;
  return define(obj, Symbol.asyncIterator, function (this: object) {
    return observed(obj, original.call(this), observer, end);
  });
}

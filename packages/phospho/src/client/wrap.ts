// `phospho.wrap(fn)`: a function that behaves exactly like `fn` (same `this`, sync stays sync, the very
// same returned promise) and logs each call: the first argument (or all of them) as input, the result as
// output, streamed results once they end.

import { isAsyncIterable, isSyncIterable, isThenable } from "../stream/instrument.js";
import type { LogEvent, LogParams } from "../types.js";

export interface WrapTarget {
  log(params: LogParams): Promise<LogEvent>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function wrapFunction<F extends (...args: any[]) => any>(
  client: WrapTarget,
  fn: F,
  extra: Omit<LogParams, "input" | "output">,
  onInternalError: (error: unknown) => void,
): F {
  const logResult = (input: unknown, value: unknown, streamRequested: boolean): void => {
    const stream =
      isAsyncIterable(value) || (streamRequested && isSyncIterable(value) && !Array.isArray(value));
    void client.log({ ...extra, input, output: value, stream });
  };
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const result: unknown = fn.apply(this, args);
    try {
      const input = args.length === 1 ? args[0] : args;
      const streamRequested = (args[0] as { stream?: unknown } | null)?.stream === true;
      if (isThenable(result)) {
        // Observed without chaining, so the caller gets the very same promise object (e.g. openai's
        // APIPromise with `.withResponse()`). Registered first, so a stream is instrumented before the
        // caller's own continuation iterates it.
        result.then(
          (value) => logResult(input, value, streamRequested),
          () => undefined,
        );
      } else {
        logResult(input, result, streamRequested);
      }
    } catch (error) {
      onInternalError(error);
    }
    return result;
  };
  Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
  return wrapped as F;
}

// One provider call, start to end: times it, reads its response or its stream through the provider's adapter,
// and logs one task. The SDK's `APIPromise` is kept lazy and is returned itself: only its own `parseResponse`
// is wrapped, so `.asResponse()` still hands over an unread body, `.withResponse()` still resolves both, and
// the caller gets exactly what the SDK returns (no second `APIPromise` per call, as `_thenUnwrap` would make).

import type { LogParams } from "./core.js";
import { isAbort, now, record, type Summary } from "./measure.js";
import { observeStream } from "./observe-stream.js";
import type { PhosphoLike } from "./options.js";

/** How one provider API reads its responses. */
export interface Adapter {
  provider: string;
  /** A complete (non-streamed) response. */
  summarise(response: unknown): Summary;
  /** A fresh reader of one stream's chunks. */
  stream(): StreamReader;
}

export interface StreamReader {
  /** Takes one chunk; `true` when it carried generated content (for the time to first token). */
  add(chunk: unknown): boolean;
  summary(): Summary;
}

type Parse = (this: unknown, ...args: unknown[]) => unknown;

interface ApiPromiseLike {
  /** openai and @anthropic-ai/sdk: an own property, read each time the response is parsed. */
  parseResponse?: Parse;
  _thenUnwrap?: (transform: (data: unknown) => unknown) => unknown;
  /** The SDK's own promise of the HTTP response, which `asResponse()` maps to the `Response`. */
  responsePromise?: { then?: unknown };
  asResponse?: () => PromiseLike<unknown>;
  then?: unknown;
}

export interface Call {
  adapter: Adapter;
  client: PhosphoLike | undefined;
  fields: Partial<LogParams>;
  /** The request body, logged as the raw input. */
  input: unknown;
  streamed: boolean;
}

/** Runs `invoke` (the SDK's own method) and returns what it returns, observed. */
export function traceCall(call: Call, invoke: () => unknown): unknown {
  const started = now();
  const result = invoke();
  try {
    return observe(call, started, result);
  } catch {
    return result;
  }
}

function observe(call: Call, started: number, result: unknown): unknown {
  const { adapter } = call;
  let done = false;
  const failed = (error: unknown) => {
    if (done) return;
    done = true;
    record(call.client, call.fields, call.input, undefined, {
      provider: adapter.provider,
      latencyMs: now() - started,
      status: isAbort(error) ? "cancelled" : "error",
      error,
    });
  };
  const settled = (value: unknown): unknown => {
    if (done) return value;
    done = true;
    if (call.streamed) {
      const reader = adapter.stream();
      let firstAt: number | undefined;
      const watched = observeStream(value, {
        chunk(chunk) {
          if (reader.add(chunk) && firstAt === undefined) firstAt = now();
        },
        end(status, error) {
          record(call.client, call.fields, call.input, reader.summary(), {
            provider: adapter.provider,
            latencyMs: now() - started,
            ttftMs: firstAt === undefined ? undefined : firstAt - started,
            status,
            error,
          });
        },
      });
      if (watched) return value;
      // A stream that cannot be observed (frozen, not iterable) is logged as a call without its output.
      record(call.client, call.fields, call.input, undefined, {
        provider: adapter.provider,
        latencyMs: now() - started,
        status: "completed",
      });
      return value;
    }
    record(call.client, call.fields, call.input, adapter.summarise(value), {
      provider: adapter.provider,
      latencyMs: now() - started,
      status: "completed",
    });
    return value;
  };

  const api = result as ApiPromiseLike | null;
  if (api && typeof api._thenUnwrap === "function") {
    const read = (data: unknown) => {
      try {
        return settled(data);
      } catch {
        return data;
      }
    };
    const returned = parsedBy(api, read) ? api : api._thenUnwrap(read);
    // The request failing (HTTP error, network, abort) is seen on the response promise, parsed or not:
    // watched directly when the SDK has it (one promise less per call than through `asResponse()`).
    const response = api.responsePromise;
    if (response && typeof response.then === "function") {
      (response as PromiseLike<unknown>).then(undefined, failed);
    } else if (typeof api.asResponse === "function") api.asResponse().then(undefined, failed);
    return returned;
  }
  if (api && typeof api.then === "function") {
    // Any other thenable: observed without changing what the caller gets.
    Promise.resolve(result).then(settled, failed);
    return result;
  }
  settled(result);
  return result;
}

/**
 * Makes `api` hand each parsed response to `read` on its way to the caller, by wrapping the instance's own
 * `parseResponse`; `false` when it has none (another SDK version), and `_thenUnwrap` is used instead.
 */
function parsedBy(api: ApiPromiseLike, read: (data: unknown) => unknown): boolean {
  const parse = api.parseResponse;
  if (typeof parse !== "function" || !Object.hasOwn(api, "parseResponse")) return false;
  const wrapped: Parse = function (this: unknown, ...args) {
    const parsed = parse.apply(this, args) as { then?: unknown } | null;
    return parsed && typeof parsed.then === "function"
      ? (parsed as PromiseLike<unknown>).then(read)
      : read(parsed);
  };
  try {
    api.parseResponse = wrapped;
  } catch {
    return false;
  }
  return api.parseResponse === wrapped;
}

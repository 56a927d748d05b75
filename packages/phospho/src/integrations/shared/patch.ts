// Replaces one method of one SDK resource object (e.g. `client.chat.completions.create`) by a traced one, on
// that instance only: other clients and the SDK's classes are untouched. Wrapping again only updates the
// options, so a client is never logged twice.

import { isObject, logFields, takeCallOptions, type CaptureOptions } from "./options.js";
import { type Adapter, traceCall } from "./trace-call.js";

const PATCHED = Symbol.for("phospho.patched");

type Method = ((this: unknown, body: unknown, options?: unknown, ...more: unknown[]) => unknown) & {
  [PATCHED]?: { options: CaptureOptions };
};

/** Patches `resource[method]`; does nothing when the resource or method is missing. */
export function patchMethod(
  resource: unknown,
  method: string,
  adapter: Adapter,
  options: CaptureOptions,
): void {
  if (!isObject(resource)) return;
  const current = resource[method] as Method | undefined;
  if (typeof current !== "function") return;
  const state = current[PATCHED];
  if (state) {
    state.options = options;
    return;
  }
  const own = { options };
  const traced: Method = function (this: unknown, body, requestOptions, ...more) {
    const { call, rest } = takeCallOptions(requestOptions);
    const invoke = () => current.call(this, body, rest, ...more);
    if (!isObject(body)) return invoke();
    return traceCall(
      {
        adapter,
        client: own.options.phospho,
        fields: logFields(own.options, call),
        input: body,
        streamed: body.stream === true,
      },
      invoke,
    );
  };
  traced[PATCHED] = own;
  try {
    Object.defineProperty(resource, method, { value: traced, configurable: true, writable: true });
  } catch {
    // A frozen resource stays unwrapped rather than breaking the app.
  }
}

/**
 * Makes `client.withOptions(...)` (a new client with its own resources) return a wrapped client too, so that
 * calls through a clone are logged like the rest.
 */
export function patchClones(client: object, wrap: (clone: object) => void): void {
  const c = client as Record<string, unknown>;
  const current = c.withOptions as Method | undefined;
  if (typeof current !== "function" || current[PATCHED]) return;
  const cloning: Method = function (this: unknown, ...args: unknown[]) {
    const clone = (current as (...a: unknown[]) => unknown).apply(this, args);
    if (clone !== null && typeof clone === "object") wrap(clone);
    return clone;
  };
  cloning[PATCHED] = { options: {} };
  try {
    Object.defineProperty(client, "withOptions", { value: cloning, configurable: true, writable: true });
  } catch {
    // As above.
  }
}

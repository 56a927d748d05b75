// What a wrapper logs besides the call itself, per client (`wrapOpenAI(client, options)`) or per call
// (`withPhospho(options)` as the request options, or `providerOptions.phospho` with the AI SDK).

import type { LogParams } from "./core.js";

/** Anything with phospho's `log()`: the default `phospho` client, a `new Phospho()`, or a test double. */
export interface PhosphoLike {
  log(params: LogParams): unknown;
}

/** Fields added to every task a call logs. */
export interface CallOptions {
  /** Groups tasks into a conversation. */
  sessionId?: string;
  userId?: string;
  versionId?: string;
  /** Id of the task this call logs (e.g. from `phospho.newTask()`, to send feedback on it later). */
  taskId?: string;
  /** Free-form; per-call keys win over per-client keys. */
  metadata?: Record<string, unknown>;
}

/** Options of `wrapOpenAI`, `wrapAnthropic` and `phosphoMiddleware`. */
export interface CaptureOptions extends Omit<CallOptions, "taskId"> {
  /** The client that logs. Default: the `phospho` instance exported by `phospho` (call `phospho.init()`). */
  phospho?: PhosphoLike;
}

/** Enumerable so that the SDKs' own helpers (`.stream()`, `.parse()`) carry it on when they spread options. */
const CALL = Symbol.for("phospho.call");

/**
 * Per-call options, given where the SDK takes its request options:
 * `openai.chat.completions.create(body, withPhospho({ sessionId }, { timeout: 5000 }))`. Returns the request
 * options (a copy) with the phospho fields attached under a symbol, which the wrapper removes before the request.
 */
export function withPhospho<O extends object = Record<never, never>>(
  call: CallOptions,
  requestOptions?: O,
): O {
  return { ...requestOptions, [CALL]: call } as O;
}

/** Splits request options into the phospho call options and what goes on to the SDK (unchanged when none). */
export function takeCallOptions(requestOptions: unknown): { call: CallOptions | undefined; rest: unknown } {
  if (requestOptions === null || typeof requestOptions !== "object" || !(CALL in requestOptions)) {
    return { call: undefined, rest: requestOptions };
  }
  const { [CALL]: call, ...rest } = requestOptions as Record<PropertyKey, unknown>;
  return { call: isObject(call) ? (call as CallOptions) : undefined, rest };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The log fields of a call: per-call values win, metadata is merged key by key. */
export function logFields(client: CaptureOptions, call: CallOptions | undefined): Partial<LogParams> {
  const fields: Partial<LogParams> = {};
  const sessionId = call?.sessionId ?? client.sessionId;
  if (sessionId !== undefined) fields.sessionId = sessionId;
  const userId = call?.userId ?? client.userId;
  if (userId !== undefined) fields.userId = userId;
  const versionId = call?.versionId ?? client.versionId;
  if (versionId !== undefined) fields.versionId = versionId;
  if (call?.taskId !== undefined) fields.taskId = call.taskId;
  if (client.metadata || call?.metadata) fields.metadata = { ...client.metadata, ...call?.metadata };
  return fields;
}

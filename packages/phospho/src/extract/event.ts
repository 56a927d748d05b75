// Builds the event for one `log()` call from already-resolved input and output values. Never throws: any
// failure of an extractor or a user function falls back to the value's JSON text.

import type { StreamResult } from "../stream/recorder.js";
import type { LogEvent, LogParams } from "../types.js";
import { extractInput } from "./input.js";
import { applyMask, type JsonValue, toJsonSafe, toJsonText, typeName } from "./json-safe.js";
import { extractOutput } from "./output.js";
import { truncateText } from "./truncate.js";
import type { Extracted, Usage } from "./types.js";

export interface EventLimits {
  projectId: string;
  maxContentChars: number;
  maxRawChars: number;
  mask?: ((text: string) => string) | undefined;
  versionId?: string | undefined;
  environment?: string | undefined;
}

/** Keys of `LogParams` that are options, not metadata. */
const PARAM_KEYS = new Set([
  "input",
  "output",
  "sessionId",
  "session_id",
  "taskId",
  "task_id",
  "userId",
  "user_id",
  "versionId",
  "version_id",
  "flag",
  "environment",
  "metadata",
  "stream",
  "inputToStrFunction",
  "outputToStrFunction",
  "test_id",
  "step_id",
  "project_id",
  "rawInput",
  "rawOutput",
  "concatenateRawOutputsIfTaskIdExists",
  "createdAt",
  "steps",
]);

function extractWith(
  value: unknown,
  custom: ((x: unknown) => string) | undefined,
  builtin: (x: unknown) => Extracted | undefined,
  maxChars: number,
): Extracted {
  if (custom) {
    try {
      const text = custom(value);
      return { text: typeof text === "string" ? text : toJsonText(text, maxChars) };
    } catch {
      // A failing user extractor must not lose the log: fall through to the built-in one.
    }
  }
  try {
    const found = builtin(value);
    if (found) return found;
  } catch {
    // Same: an unexpected shape falls back to JSON text.
  }
  if (value === undefined || value === null) return { text: null };
  return { text: toJsonText(value, maxChars) };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `createdAt` (a Date or milliseconds) as integer unix seconds, or undefined when it is not a valid time. */
function createdSeconds(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : NaN;
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : undefined;
}

/**
 * The content of one logged task: sent as is, and what `log()` resolves to. A class for `usage`, the
 * provider's nested usage object: returned, as phospho 1.3 did, through a getter, so it is neither an own
 * property nor sent (the collector reads the flat counts).
 */
class LoggedContent {
  #usage: JsonValue | undefined;

  get usage(): JsonValue | undefined {
    return this.#usage;
  }

  setUsage(usage: JsonValue): void {
    this.#usage = usage;
  }
}

/** The token counts, flat, as the collector reads them (a `Usage` holds only the counts it has). */
function setTokens(event: LogEvent, usage: Usage | undefined): void {
  if (usage) Object.assign(event, usage);
}

/** A text of the task (input, output, system prompt): masked, then cut to `maxContentChars`. */
function contentText(text: string, limits: EventLimits): string {
  return truncateText(applyMask(text, limits.mask), limits.maxContentChars);
}

/** A raw value (raw input or output, steps, metadata) as JSON data within `maxRawChars`, masked. */
function rawValue(value: unknown, limits: EventLimits, maxChars = limits.maxRawChars) {
  return toJsonSafe(value, { maxChars, mask: limits.mask });
}

export interface BuiltEvent {
  event: LogEvent;
  /** Estimated serialised size in characters. */
  size: number;
}

/**
 * The event of one log. `streaming`: the output is a stream that has not ended, so the output and its raw
 * value are `null` until `endStream` (a given `rawOutput` is kept).
 */
export function buildEvent(
  params: LogParams,
  taskId: string,
  input: unknown,
  output: unknown,
  limits: EventLimits,
  streaming?: boolean,
): BuiltEvent {
  const inExtracted = extractWith(
    input,
    params.inputToStrFunction as ((x: unknown) => string) | undefined,
    extractInput,
    limits.maxContentChars,
  );
  const outExtracted: Extracted = streaming
    ? { text: null }
    : extractWith(
        output,
        params.outputToStrFunction as ((x: unknown) => string) | undefined,
        extractOutput,
        limits.maxContentChars,
      );

  const rawInputValue = params.rawInput !== undefined ? params.rawInput : input;
  const rawOutputValue = params.rawOutput !== undefined ? params.rawOutput : output;
  const rawIn = rawValue(rawInputValue, limits);
  // A stream's raw output is its text (none yet), masked like every other text.
  const rawOut = rawValue(streaming && params.rawOutput === undefined ? null : rawOutputValue, limits);

  const inputText = contentText(inExtracted.text ?? "", limits);
  const outputText = outExtracted.text === null ? null : contentText(outExtracted.text, limits);

  const event = Object.assign(new LoggedContent(), {
    task_id: taskId,
    project_id: limits.projectId,
    input: inputText,
    output: outputText,
    raw_input: rawIn.value,
    raw_output: rawOut.value,
    raw_input_type_name: typeName(rawInputValue),
    raw_output_type_name: typeName(rawOutputValue),
    client_created_at: Math.floor(Date.now() / 1000),
  }) as LogEvent & LoggedContent;
  const created = createdSeconds(params.createdAt);
  if (created !== undefined) {
    event.created_at = created;
    event.client_created_at = created;
  }
  let size = inputText.length + (outputText?.length ?? 0) + rawIn.size + rawOut.size + 300;

  // Every text goes through `mask`, ids included (the task id excepted: feedback must find the task).
  const sessionId = params.sessionId ?? params.session_id;
  // `null` when none, as phospho 1.3 returned it.
  event.session_id = typeof sessionId === "string" ? applyMask(sessionId, limits.mask) : null;
  if (params.flag === "success" || params.flag === "failure") event.flag = params.flag;
  const texts = [
    ["user_id", str(params.userId) ?? str(params.user_id)],
    ["version_id", str(params.versionId) ?? str(params.version_id) ?? limits.versionId],
    ["environment", str(params.environment) ?? limits.environment],
    ["test_id", str(params.test_id)],
    ["step_id", str(params.step_id)],
    ["model", outExtracted.model ?? inExtracted.model],
  ] as const;
  for (const [key, text] of texts) if (text !== undefined) event[key] = applyMask(text, limits.mask);
  if (inExtracted.systemPrompt !== undefined) {
    event.system_prompt = contentText(inExtracted.systemPrompt, limits);
    size += event.system_prompt.length;
  }
  setTokens(event, outExtracted.usage);
  if (outExtracted.rawUsage !== undefined) {
    // The provider's own object (it is never sent), copied only when `mask` must reach its keys.
    event.setUsage(
      limits.mask
        ? rawValue(outExtracted.rawUsage, limits, 2000).value
        : (outExtracted.rawUsage as JsonValue),
    );
  }

  if (Array.isArray(params.steps)) {
    const steps = rawValue(params.steps, limits);
    event.steps = steps.value;
    size += steps.size;
  }

  // Made only when there is one: most logs have none.
  let extras: Record<string, unknown> | undefined;
  for (const key in params) {
    if (PARAM_KEYS.has(key) || !Object.hasOwn(params, key)) continue;
    (extras ??= {})[key] = params[key];
  }
  const explicit = params.metadata && typeof params.metadata === "object" ? params.metadata : undefined;
  if (extras || explicit) {
    const meta = rawValue({ ...extras, ...explicit }, limits);
    if (meta.value !== null && typeof meta.value === "object" && !Array.isArray(meta.value)) {
      event.metadata = meta.value;
      size += meta.size;
    }
  }
  return { event, size };
}

/**
 * The event of a stream that has ended, from the content built when it was logged (input, ids, metadata, and
 * the raw input as it was then) with the stream's text as output and raw output, its token counts, model,
 * timings and how it ended.
 */
export function endStream(
  started: BuiltEvent,
  params: LogParams,
  limits: EventLimits,
  result: StreamResult,
): BuiltEvent {
  const { text, accumulator } = result;
  const event: LogEvent = { ...started.event };
  let size = started.size;
  if (text !== null) {
    event.output = contentText(text, limits);
    size += event.output.length;
  }
  if (params.rawOutput === undefined) {
    const raw = rawValue(text, limits);
    event.raw_output = raw.value;
    size += raw.size;
  }
  setTokens(event, accumulator.usage);
  event.raw_output_type_name = "stream";
  if (accumulator.model !== undefined) event.model = applyMask(accumulator.model, limits.mask);
  event.latency_ms = result.latencyMs;
  if (result.timeToFirstTokenMs !== undefined) event.time_to_first_token_ms = result.timeToFirstTokenMs;
  event.stream_status = result.status;
  return { event, size };
}

/** The content returned for a log that is not queued (disabled, sampled out, not initialised): no copying. */
export function bareEvent(params: LogParams, taskId: string, projectId: string): LogEvent {
  return {
    task_id: taskId,
    project_id: projectId,
    input: typeof params.input === "string" ? params.input : "",
    output: typeof params.output === "string" ? params.output : null,
    client_created_at: Math.floor(Date.now() / 1000),
    raw_input: null,
    raw_output: null,
    raw_input_type_name: typeof params.input,
    raw_output_type_name: typeof params.output,
  };
}

/**
 * One LogEvent of the wire format: its zod schema, and its normalisation into what the store ingests.
 * Spec fields that are not task columns (`version_id`, `user_id`, ...) and any unknown top-level key go into
 * `metadata`; explicit `metadata` keys win over them.
 */
import { z } from "zod";
import type { IngestEvent } from "../store/types.js";
import { metadataRangeIssue, timeRangeIssue } from "./numbers.js";
import { validateSteps } from "../steps/index.js";
import { SanitizeError, sanitize } from "./sanitize.js";
import { newTaskId } from "./task-id.js";

const seconds = z.number().int("must be an integer number of unix seconds").nonnegative();
const optionalText = z.string().nullish();
const id = z.string().min(1, "must not be empty").max(512, "must be at most 512 characters");

export const logEventSchema = z.looseObject({
  input: z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") }),
  output: optionalText,
  task_id: id.nullish(),
  session_id: id.nullish(),
  project_id: z.string().nullish(),
  client_created_at: seconds.nullish(),
  created_at: seconds.nullish(),
  last_update: z.number().nonnegative().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  raw_input_type_name: optionalText,
  raw_output_type_name: optionalText,
  flag: z.enum(["success", "failure"]).nullish(),
});

/** Top-level fields that are task columns; every other key ends up in metadata. */
const COLUMN_FIELDS = new Set([
  "input",
  "output",
  "task_id",
  "session_id",
  "project_id",
  "client_created_at",
  "created_at",
  "last_update",
  "metadata",
  "raw_input",
  "raw_output",
  "raw_input_type_name",
  "raw_output_type_name",
  "flag",
  "steps",
]);

export interface EventLimits {
  maxEventBytes: number;
  maxDepth: number;
}

export type EventResult =
  { ok: true; event: IngestEvent; echo: Record<string, unknown> } | { ok: false; error: string };

/** Seconds, or milliseconds when the number is too large to be seconds (after year 5138). */
function toMs(value: number): number {
  return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
}

function jsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * The UTF-8 size of `JSON.stringify(event)`, built from each top-level value's text: the raw input and output,
 * usually most of an event, are written once for their columns and counted from that text rather than written a
 * second time for the count. Equal to the size of the whole text (object members joined by commas).
 */
function jsonBytes(
  event: Record<string, unknown>,
  rawInput: string | null,
  rawOutput: string | null,
): number {
  let bytes = 2;
  let members = 0;
  for (const key in event) {
    if (!Object.hasOwn(event, key)) continue;
    const value = event[key];
    let text: string | undefined;
    if (key === "raw_input" && value !== undefined && value !== null) text = rawInput!;
    else if (key === "raw_output" && value !== undefined && value !== null) text = rawOutput!;
    else text = JSON.stringify(value) as string | undefined;
    if (text === undefined) continue;
    bytes += Buffer.byteLength(JSON.stringify(key), "utf8") + 1 + Buffer.byteLength(text, "utf8");
    members += 1;
  }
  return members > 1 ? bytes + members - 1 : bytes;
}

/**
 * At least `jsonBytes` (never less), without writing the texts of the event's strings and numbers: a string's
 * JSON text takes at most 6 bytes per UTF-16 unit (`\u001f`; UTF-8 takes at most 3) plus its quotes, a number at
 * most 24 (`-1.7976931348623157e+308`), and the raw input and output texts at most 3 bytes per unit. Nearly every
 * event is far below the limit by this bound, and only one that is not is counted exactly. Objects (metadata,
 * steps) are written out, as `jsonBytes` does.
 */
function jsonBytesAtMost(
  event: Record<string, unknown>,
  rawInput: string | null,
  rawOutput: string | null,
): number {
  let bytes = 2;
  for (const key in event) {
    if (!Object.hasOwn(event, key)) continue;
    const value = event[key];
    if (value === undefined) continue;
    let size: number;
    if (key === "raw_input" && rawInput !== null) size = 3 * rawInput.length;
    else if (key === "raw_output" && rawOutput !== null) size = 3 * rawOutput.length;
    else if (typeof value === "string") size = 6 * value.length + 2;
    else if (typeof value !== "object" || value === null) size = 24;
    else size = Buffer.byteLength(JSON.stringify(value), "utf8");
    // The key's quotes and colon, and a comma.
    bytes += 6 * key.length + 4 + size;
  }
  return bytes;
}

export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "event: invalid";
  const field = issue.path.length > 0 ? issue.path.join(".") : "event";
  return `${field}: ${issue.message}`;
}

export function normalizeEvent(
  raw: unknown,
  projectId: string,
  now: number,
  limits: EventLimits,
): EventResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, error: "event: must be a JSON object with at least an `input` string" };
  }
  let clean: Record<string, unknown>;
  try {
    clean = sanitize(raw, limits.maxDepth, "event") as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SanitizeError) return { ok: false, error: error.message };
    throw error;
  }
  const rawInput = jsonText(clean.raw_input);
  const rawOutput = jsonText(clean.raw_output);
  let bytes = jsonBytesAtMost(clean, rawInput, rawOutput);
  if (bytes > limits.maxEventBytes) bytes = jsonBytes(clean, rawInput, rawOutput);
  if (bytes > limits.maxEventBytes) {
    return {
      ok: false,
      error: `event: ${bytes} bytes is over the limit of ${limits.maxEventBytes} bytes per event`,
    };
  }
  const parsed = logEventSchema.safeParse(clean);
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
  const e = parsed.data;
  if (e.project_id && e.project_id !== projectId) {
    return {
      ok: false,
      error: `project_id: must be the project of the URL (${projectId}), got ${e.project_id}`,
    };
  }
  if (e.client_created_at && e.client_created_at > 1e11) {
    return { ok: false, error: "client_created_at: must be unix seconds, not milliseconds" };
  }
  if (e.created_at && e.created_at > 1e11) {
    return { ok: false, error: "created_at: must be unix seconds, not milliseconds" };
  }

  const steps = clean.steps === undefined || clean.steps === null ? null : validateSteps(clean.steps);
  if (steps && !steps.ok) return { ok: false, error: steps.error };

  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(clean)) {
    if (!COLUMN_FIELDS.has(key) && value !== undefined) extras[key] = value;
  }
  const metadata = { ...extras, ...(e.metadata ?? {}) };
  const rangeIssue = timeRangeIssue("last_update", e.last_update) ?? metadataRangeIssue(metadata);
  if (rangeIssue) return { ok: false, error: rangeIssue };
  const taskId = e.task_id ?? newTaskId(now);
  const createdSeconds = e.created_at ?? e.client_created_at ?? null;
  const event: IngestEvent = {
    task_id: taskId,
    session_id: e.session_id ?? null,
    input: e.input,
    output: e.output ?? null,
    created_at: createdSeconds === null ? null : createdSeconds * 1000,
    order:
      e.last_update != null
        ? toMs(e.last_update)
        : e.client_created_at != null
          ? e.client_created_at * 1000
          : now,
    raw_input: rawInput,
    raw_output: rawOutput,
    raw_input_type_name: e.raw_input_type_name ?? null,
    raw_output_type_name: e.raw_output_type_name ?? null,
    metadata,
    flag: e.flag ?? null,
  };
  if (e.task_id == null) event.fresh = true;
  if (steps) event.steps = steps.steps;
  const echo: Record<string, unknown> = {
    task_id: taskId,
    project_id: projectId,
    session_id: event.session_id,
    input: event.input,
    output: event.output,
    created_at: Math.floor((event.created_at ?? now) / 1000),
    client_created_at: e.client_created_at ?? null,
    metadata,
    flag: event.flag,
  };
  return { ok: true, event, echo };
}

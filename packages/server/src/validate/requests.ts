/** Schemas of the feedback and read request bodies. */
import { z } from "zod";
import type { SessionFilters, TaskFilters, TaskPatch } from "../store/types.js";
import { HttpError } from "../errors.js";
import { firstIssue } from "./event.js";
import { sanitize, SanitizeError } from "./sanitize.js";

const verdict = z.enum(["success", "failure"]);
const seconds = z.number().nonnegative().max(253_402_300_799, "must be unix seconds before the year 10000");
const ids = z.array(z.string()).max(10_000, "must list at most 10000 ids");

const notes = (maxChars: number) =>
  z.string().max(maxChars, `must be at most ${maxChars} characters`).nullish();

export const flagBody = (maxNotesChars: number) =>
  z.looseObject({
    flag: verdict,
    notes: notes(maxNotesChars),
    source: z.string().max(256).nullish(),
    /** The upstream JavaScript module names the source `flag_source`. */
    flag_source: z.string().max(256).nullish(),
    project_id: z.string().nullish(),
  });

export const humanEvalBody = (maxNotesChars: number) =>
  z.looseObject({
    /** The spec's plain verdict; the Task's own shape `{ flag }` is accepted too. */
    human_eval: z.union([verdict, z.object({ flag: verdict }).transform((value) => value.flag)], {
      error: 'must be "success" or "failure"',
    }),
    notes: notes(maxNotesChars),
    source: z.string().max(256).nullish(),
    project_id: z.string().nullish(),
  });

export const taskUpdateBody = (maxNotesChars: number) =>
  z.looseObject({
    metadata: z.record(z.string(), z.unknown()).nullish(),
    data: z.unknown().optional(),
    notes: notes(maxNotesChars),
    flag: verdict.nullish(),
    flag_source: z.string().max(256).nullish(),
  });

const metadataFilter = z
  .record(z.string(), z.unknown())
  .refine(
    (value) => Object.keys(value).every((key) => !key.includes('"') && !key.includes("\\")),
    'keys must not contain " or \\',
  );

const offset = z.number().int().nonnegative().max(1_000_000_000).nullish();

export const taskListBody = z.looseObject({
  filters: z
    .looseObject({
      created_at_start: seconds.nullish(),
      created_at_end: seconds.nullish(),
      flag: verdict.nullish(),
      metadata: metadataFilter.nullish(),
      version_id: z.string().nullish(),
      user_id: z.string().nullish(),
      session_id: z.string().nullish(),
      tasks_ids: ids.nullish(),
      sessions_ids: ids.nullish(),
      has_notes: z.boolean().nullish(),
      search: z.string().max(1000).nullish(),
    })
    .nullish(),
  limit: z.number().int().positive().nullish(),
  offset,
});

/** `?limit=&offset=` of a paged GET. */
export const pageQuery = z.looseObject({
  limit: z.coerce.number().int().positive().nullish(),
  offset: z.coerce.number().int().nonnegative().max(1_000_000_000).nullish(),
});

export const sessionListBody = z.looseObject({
  filters: z
    .looseObject({
      created_at_start: seconds.nullish(),
      created_at_end: seconds.nullish(),
      user_id: z.string().nullish(),
      sessions_ids: ids.nullish(),
      has_notes: z.boolean().nullish(),
    })
    .nullish(),
  limit: z.number().int().positive().nullish(),
});

/** Parses a request body (absent counts as `{}`), answering 422 with the first issue, naming its field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  let clean: unknown;
  try {
    clean = sanitize(body ?? {}, 32, "body");
  } catch (error) {
    if (error instanceof SanitizeError) throw new HttpError(422, error.message);
    throw error;
  }
  const parsed = schema.safeParse(clean);
  if (!parsed.success) throw new HttpError(422, firstIssue(parsed.error));
  return parsed.data;
}

const startMs = (s: number | null | undefined) => (s == null ? undefined : Math.floor(s) * 1000);
const endMs = (s: number | null | undefined) => (s == null ? undefined : Math.floor(s) * 1000 + 999);
const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

export function toTaskFilters(body: z.infer<typeof taskListBody>): TaskFilters {
  const f = body.filters ?? {};
  return {
    createdAtStart: startMs(f.created_at_start),
    createdAtEnd: endMs(f.created_at_end),
    flag: orUndefined(f.flag),
    metadata: orUndefined(f.metadata),
    versionId: orUndefined(f.version_id),
    userId: orUndefined(f.user_id),
    sessionId: orUndefined(f.session_id),
    taskIds: orUndefined(f.tasks_ids),
    sessionIds: orUndefined(f.sessions_ids),
    hasNotes: orUndefined(f.has_notes),
    search: f.search ? f.search : undefined,
  };
}

export function toSessionFilters(body: z.infer<typeof sessionListBody>): SessionFilters {
  const f = body.filters ?? {};
  return {
    createdAtStart: startMs(f.created_at_start),
    createdAtEnd: endMs(f.created_at_end),
    userId: orUndefined(f.user_id),
    sessionIds: orUndefined(f.sessions_ids),
    hasNotes: orUndefined(f.has_notes),
  };
}

export function toTaskPatch(body: z.infer<ReturnType<typeof taskUpdateBody>>): TaskPatch {
  const metadata = body.metadata ?? undefined;
  const withData = body.data === undefined ? metadata : { ...(metadata ?? {}), data: body.data };
  return {
    metadata: withData,
    notes: orUndefined(body.notes),
    flag: orUndefined(body.flag),
    flagSource: orUndefined(body.flag_source),
  };
}

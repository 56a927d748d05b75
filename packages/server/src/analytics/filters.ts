/**
 * Task filters by analytics, as one SQL condition on `tasks` for the dashboard's shared WHERE (`where.ts`):
 * an event present or absent (optionally with a label or a score range), the input's language, its sentiment.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import { z } from "zod";

export interface AnalyticsFilters {
  /** Event definition id. */
  event?: string | undefined;
  /** `present` (default with `event`) or `absent`. */
  eventState?: "present" | "absent" | undefined;
  eventLabel?: string | undefined;
  scoreMin?: number | undefined;
  scoreMax?: number | undefined;
  language?: string | undefined;
  sentiment?: "positive" | "neutral" | "negative" | undefined;
}

export function hasAnalyticsFilters(f: AnalyticsFilters): boolean {
  return f.event !== undefined || f.language !== undefined || f.sentiment !== undefined;
}

/**
 * A detection of the event `f.event` (current version of its definition, present, not removed, with the label or
 * score asked) that passes `where`.
 */
function detectionExists(where: RawBuilder<unknown>, f: AnalyticsFilters): Expression<SqlBool> {
  const extra: RawBuilder<unknown>[] = [];
  if (f.eventLabel !== undefined) extra.push(sql`AND d.label = ${f.eventLabel}`);
  if (f.scoreMin !== undefined) extra.push(sql`AND d.score >= ${f.scoreMin}`);
  if (f.scoreMax !== undefined) extra.push(sql`AND d.score <= ${f.scoreMax}`);
  return sql<SqlBool>`EXISTS (SELECT 1 FROM detections d JOIN event_definitions e
    ON e.project_id = d.project_id AND e.id = d.definition_id AND e.version = d.definition_version
    WHERE ${where} AND d.definition_id = ${f.event ?? ""}
      AND d.present = 1 AND (d.review IS NULL OR d.review <> 'removed') ${sql.join(extra, sql` `)})`;
}

/** The condition on `tasks` (alias `tasks`); null when no analytics filter is set. */
export function analyticsCondition(f: AnalyticsFilters): Expression<SqlBool> | null {
  const conds: Expression<SqlBool>[] = [];
  if (f.event !== undefined) {
    const exists = detectionExists(sql`d.project_id = tasks.project_id AND d.task_id = tasks.id`, f);
    conds.push(f.eventState === "absent" ? sql<SqlBool>`NOT ${exists}` : exists);
  }
  if (f.language !== undefined || f.sentiment !== undefined) {
    const parts: ReturnType<typeof sql>[] = [];
    if (f.language !== undefined) parts.push(sql`AND a.language = ${f.language}`);
    if (f.sentiment !== undefined) parts.push(sql`AND a.sentiment_label = ${f.sentiment}`);
    conds.push(sql<SqlBool>`EXISTS (SELECT 1 FROM task_analytics a
      WHERE a.project_id = tasks.project_id AND a.task_id = tasks.id ${sql.join(parts, sql` `)})`);
  }
  return conds.length === 0 ? null : sql<SqlBool>`(${sql.join(conds, sql` AND `)})`;
}

/** The query parameters of these filters, merged into the dashboard's filter schema. */
export const analyticsFilterShape = {
  event: z.string().trim().min(1).max(100).optional(),
  event_state: z.enum(["present", "absent"]).optional(),
  event_label: z.string().trim().min(1).max(200).optional(),
  score_min: z.coerce.number().min(1).max(5).optional(),
  score_max: z.coerce.number().min(1).max(5).optional(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}$/, "must be an ISO 639-1 code such as en")
    .optional(),
  sentiment: z.enum(["positive", "neutral", "negative"]).optional(),
};

type RawAnalyticsFilters = {
  [K in keyof typeof analyticsFilterShape]?: z.infer<(typeof analyticsFilterShape)[K]>;
};

export function toAnalyticsFilters(raw: RawAnalyticsFilters): AnalyticsFilters | undefined {
  const out: AnalyticsFilters = {};
  if (raw.event !== undefined) out.event = raw.event;
  if (raw.event_state !== undefined) out.eventState = raw.event_state;
  if (raw.event_label !== undefined) out.eventLabel = raw.event_label;
  if (raw.score_min !== undefined) out.scoreMin = raw.score_min;
  if (raw.score_max !== undefined) out.scoreMax = raw.score_max;
  if (raw.language !== undefined) out.language = raw.language;
  if (raw.sentiment !== undefined) out.sentiment = raw.sentiment;
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * The same filters for sessions (alias `sessions`): an event is present when a task of the session, or the session
 * itself (a session-scope event), has it; absent when none has; a language or sentiment when a task has it.
 */
export function sessionAnalyticsCondition(f: AnalyticsFilters): Expression<SqlBool> | null {
  const conds: Expression<SqlBool>[] = [];
  if (f.event !== undefined) {
    // Detections carry their task's session (and session-scope ones, their session): one test covers both.
    const any = detectionExists(sql`d.project_id = sessions.project_id AND d.session_id = sessions.id`, f);
    conds.push(f.eventState === "absent" ? sql<SqlBool>`NOT ${any}` : any);
  }
  const text = analyticsCondition({ language: f.language, sentiment: f.sentiment });
  if (text) {
    conds.push(sql<SqlBool>`EXISTS (SELECT 1 FROM tasks WHERE tasks.project_id = sessions.project_id
      AND tasks.session_id = sessions.id AND ${text})`);
  }
  return conds.length === 0 ? null : sql<SqlBool>`(${sql.join(conds, sql` AND `)})`;
}

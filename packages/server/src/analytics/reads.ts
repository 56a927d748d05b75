/**
 * What the dashboard shows of analytics beside tasks and sessions: per task its language, sentiment and
 * detections (badges); per session the roll-up (most common language and sentiment label, average score) and its
 * session-scope detections; the backlog and its progress; events over time.
 */
import { sql, type Kysely } from "kysely";
import { countJobs, listFailed } from "../jobs/index.js";
import type { Badge, TaskAnalytics } from "../dashboard/api-types.js";
import type { Database } from "../store/schema.js";
import { sessionTaskId } from "./analyze.js";

/** Detections of the current version of each definition, for these (pseudo) task ids. */
async function badges(
  db: Kysely<Database>,
  projectId: string,
  taskIds: string[],
  all: boolean,
): Promise<Map<string, Badge[]>> {
  const out = new Map<string, Badge[]>();
  if (taskIds.length === 0) return out;
  let query = db
    .selectFrom("detections as d")
    .innerJoin("event_definitions as e", (join) =>
      join
        .onRef("e.project_id", "=", "d.project_id")
        .onRef("e.id", "=", "d.definition_id")
        .onRef("e.version", "=", "d.definition_version"),
    )
    .select([
      "d.task_id",
      "d.definition_id as event_id",
      "e.name",
      "e.detector",
      "d.definition_version as version",
      "d.present",
      "d.label",
      "d.score",
      "d.confidence",
      "d.review",
      "d.corrected_label",
      "d.corrected_score",
    ])
    .where("d.project_id", "=", projectId)
    .where("d.task_id", "in", taskIds);
  if (!all) query = query.where((eb) => eb.or([eb("d.present", "=", 1), eb("d.review", "=", "corrected")]));
  for (const row of await query.orderBy("e.created_at").execute()) {
    const list = out.get(row.task_id) ?? [];
    list.push({
      event_id: row.event_id,
      name: row.name,
      detector: row.detector,
      version: row.version,
      present: row.present === 1,
      label: row.label,
      score: row.score === null ? null : Number(row.score),
      confidence: Number(row.confidence),
      review: row.review,
      corrected_label: row.corrected_label,
      corrected_score: row.corrected_score === null ? null : Number(row.corrected_score),
    });
    out.set(row.task_id, list);
  }
  return out;
}

/** Language, sentiment and badges per task. `all` includes absent detections (the detail view, to mark a miss). */
export async function taskAnalytics(
  db: Kysely<Database>,
  projectId: string,
  taskIds: string[],
  all = false,
): Promise<Map<string, TaskAnalytics>> {
  const out = new Map<string, TaskAnalytics>();
  if (taskIds.length === 0) return out;
  const rows = await db
    .selectFrom("task_analytics")
    .select(["task_id", "language", "sentiment_score", "sentiment_label"])
    .where("project_id", "=", projectId)
    .where("task_id", "in", taskIds)
    .execute();
  const found = await badges(db, projectId, taskIds, all);
  const byTask = new Map(rows.map((row) => [row.task_id, row]));
  for (const id of taskIds) {
    const row = byTask.get(id);
    out.set(id, {
      language: row?.language ?? null,
      sentiment:
        row && row.sentiment_score !== null && row.sentiment_label !== null
          ? { score: Number(row.sentiment_score), label: row.sentiment_label }
          : null,
      events: found.get(id) ?? [],
    });
  }
  return out;
}

/** Adds `analytics` to each item (task list rows, task detail). */
export async function withTaskAnalytics<T extends { id: string }>(
  db: Kysely<Database>,
  projectId: string,
  items: T[],
  all = false,
): Promise<Array<T & { analytics: TaskAnalytics }>> {
  const found = await taskAnalytics(
    db,
    projectId,
    items.map((item) => item.id),
    all,
  );
  return items.map((item) => ({
    ...item,
    analytics: found.get(item.id) ?? { language: null, sentiment: null, events: [] },
  }));
}

export interface SessionAnalytics {
  language: string | null;
  sentiment: { average: number | null; label: string | null };
  /** Session-scope detections, and task detections counted per event. */
  events: Badge[];
  task_events: Array<{ event_id: string; name: string; tasks: number }>;
}

function mostCommon(values: Array<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  let most = 0;
  for (const [value, n] of counts) {
    if (n > most || (n === most && best !== null && value < best)) {
      best = value;
      most = n;
    }
  }
  return best;
}

export async function sessionAnalytics(
  db: Kysely<Database>,
  projectId: string,
  sessionIds: string[],
): Promise<Map<string, SessionAnalytics>> {
  const out = new Map<string, SessionAnalytics>();
  if (sessionIds.length === 0) return out;
  const rows = await db
    .selectFrom("task_analytics")
    .select(["session_id", "language", "sentiment_score", "sentiment_label"])
    .where("project_id", "=", projectId)
    .where("session_id", "in", sessionIds)
    .execute();
  const taskEvents = await db
    .selectFrom("detections as d")
    .innerJoin("event_definitions as e", (join) =>
      join
        .onRef("e.project_id", "=", "d.project_id")
        .onRef("e.id", "=", "d.definition_id")
        .onRef("e.version", "=", "d.definition_version"),
    )
    .select(["d.session_id", "e.id as event_id", "e.name", (eb) => eb.fn.countAll<number>().as("tasks")])
    .where("d.project_id", "=", projectId)
    .where("d.session_id", "in", sessionIds)
    .where("d.present", "=", 1)
    .where("e.scope", "!=", "session")
    .where((eb) => eb.or([eb("d.review", "is", null), eb("d.review", "!=", "removed")]))
    .groupBy(["d.session_id", "e.id", "e.name"])
    .execute();
  const sessionBadges = await badges(db, projectId, sessionIds.map(sessionTaskId), false);
  for (const id of sessionIds) {
    const mine = rows.filter((row) => row.session_id === id);
    const scores = mine.map((row) => row.sentiment_score).filter((s): s is number => s !== null);
    out.set(id, {
      language: mostCommon(mine.map((row) => row.language)),
      sentiment: {
        average: scores.length === 0 ? null : scores.reduce((sum, s) => sum + Number(s), 0) / scores.length,
        label: mostCommon(mine.map((row) => row.sentiment_label)),
      },
      events: sessionBadges.get(sessionTaskId(id)) ?? [],
      task_events: taskEvents
        .filter((row) => row.session_id === id)
        .map((row) => ({ event_id: row.event_id, name: row.name, tasks: Number(row.tasks) })),
    });
  }
  return out;
}

export interface Progress {
  jobs: Awaited<ReturnType<typeof countJobs>>;
  /** Jobs done in the last minute, per minute. */
  rate_per_minute: number;
  backfills: Array<{
    id: string;
    total: number;
    done: number;
    status: string;
    created_at: number;
    finished_at: number | null;
  }>;
  failed: Array<{ id: string; kind: string; attempts: number; error: string | null; updated_at: number }>;
  /** Tasks not yet handed to the runner (past the watermark). */
  waiting_tasks: number;
}

export async function progress(db: Kysely<Database>, projectId: string, now = Date.now()): Promise<Progress> {
  const jobs = await countJobs(db, projectId);
  const recent = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", projectId)
    .where("status", "=", "done")
    .where("updated_at", ">=", now - 60_000)
    .executeTakeFirst();
  const backfills = await db
    .selectFrom("backfills")
    .select(["id", "total", "done", "status", "created_at", "finished_at"])
    .where("project_id", "=", projectId)
    .orderBy("created_at", "desc")
    .limit(10)
    .execute();
  const failed = await listFailed(db, projectId, 20);
  const mark = await db
    .selectFrom("analytics_watermarks")
    .select(["updated_at", "task_id"])
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  const waiting = await db
    .selectFrom("tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", projectId)
    .where((eb) =>
      mark
        ? eb.or([
            eb("updated_at", ">", mark.updated_at),
            eb.and([eb("updated_at", "=", mark.updated_at), eb("id", ">", mark.task_id)]),
          ])
        : sql<boolean>`true`,
    )
    .executeTakeFirst();
  return {
    jobs,
    rate_per_minute: Number(recent?.n ?? 0),
    backfills,
    failed: failed.map((job) => ({
      id: job.id,
      kind: job.kind,
      attempts: job.attempts,
      error: job.last_error,
      updated_at: job.updated_at,
    })),
    waiting_tasks: Number(waiting?.n ?? 0),
  };
}

/**
 * Detections of each definition's current version, joined to their tasks, for tasks created in [from, to]: what
 * the overview's event series and per-version rates count.
 */
function currentDetectionsInRange(db: Kysely<Database>, projectId: string, from: number, to: number) {
  return db
    .selectFrom("detections as d")
    .innerJoin("tasks as t", (join) =>
      join.onRef("t.project_id", "=", "d.project_id").onRef("t.id", "=", "d.task_id"),
    )
    .innerJoin("event_definitions as e", (join) =>
      join
        .onRef("e.project_id", "=", "d.project_id")
        .onRef("e.id", "=", "d.definition_id")
        .onRef("e.version", "=", "d.definition_version"),
    )
    .where("d.project_id", "=", projectId)
    .where("t.created_at", ">=", from)
    .where("t.created_at", "<=", to);
}

/** Detections per day and event (present, not removed), for the overview. */
export async function eventsOverTime(db: Kysely<Database>, projectId: string, from: number, to: number) {
  // A literal, not a parameter: better-sqlite3 binds a JS number as REAL, which made the division fractional (one
  // "day" per millisecond), and PostgreSQL does not see the SELECT's and GROUP BY's parameters as one expression.
  const day = sql.lit(86_400_000);
  const dayOf = sql<number>`(t.created_at / ${day}) * ${day}`;
  const rows = await currentDetectionsInRange(db, projectId, from, to)
    .select(["e.id as event_id", "e.name", dayOf.as("day"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("d.present", "=", 1)
    .where((eb) => eb.or([eb("d.review", "is", null), eb("d.review", "!=", "removed")]))
    .groupBy(["e.id", "e.name", dayOf])
    .orderBy("day")
    .execute();
  return rows.map((row) => ({
    event_id: row.event_id,
    name: row.name,
    day: Number(row.day),
    count: Number(row.n),
  }));
}

/** Per version and event (current version of each definition): tasks analysed, detected, rate. */
export async function eventRatesByVersion(db: Kysely<Database>, projectId: string, from: number, to: number) {
  const rows = await currentDetectionsInRange(db, projectId, from, to)
    .select([
      "t.version_id",
      "e.id as event_id",
      "e.name",
      (eb) => eb.fn.countAll<number>().as("analysed"),
      sql<number>`sum(case when d.present = 1 and (d.review is null or d.review <> 'removed') then 1 else 0 end)`.as(
        "detected",
      ),
    ])
    .groupBy(["t.version_id", "e.id", "e.name"])
    .orderBy("t.version_id")
    .execute();
  return rows.map((row) => ({
    version_id: row.version_id,
    event_id: row.event_id,
    name: row.name,
    analysed: Number(row.analysed),
    detected: Number(row.detected),
    rate: Number(row.analysed) === 0 ? null : Number(row.detected) / Number(row.analysed),
  }));
}

/**
 * What the dashboard shows of analytics beside tasks and sessions: per task its language, sentiment and
 * detections (badges); per session the roll-up (most common language and sentiment label, average score) and its
 * session-scope detections; the backlog and its progress; events over time.
 */
import { sql, type Kysely } from "kysely";
import { countJobs, listFailed } from "../jobs/index.js";
import type { Badge, SessionAnalytics, TaskAnalytics } from "../dashboard/api-types.js";
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
  // Side by side (on SQLite, two reader processes): a task page waits for one round trip, not two.
  const [rows, found] = await Promise.all([
    db
      .selectFrom("task_analytics")
      .select(["task_id", "language", "sentiment_score", "sentiment_label"])
      .where("project_id", "=", projectId)
      .where("task_id", "in", taskIds)
      .execute(),
    badges(db, projectId, taskIds, all),
  ]);
  const byTask = new Map(rows.map((row) => [row.task_id, row]));
  for (const id of taskIds) out.set(id, analyticsOf(byTask.get(id), found.get(id)));
  return out;
}

/** A task's `task_analytics` columns (absent or null before the runner has analysed it). */
interface AnalyticsColumns {
  language: string | null;
  sentiment_score: number | string | null;
  sentiment_label: string | null;
}

function analyticsOf(row: AnalyticsColumns | undefined, events: Badge[] = []): TaskAnalytics {
  return {
    language: row?.language ?? null,
    sentiment:
      row && row.sentiment_score !== null && row.sentiment_label !== null
        ? { score: Number(row.sentiment_score), label: row.sentiment_label }
        : null,
    events,
  };
}

/**
 * The analytics columns of the task `tasks.id`, selected beside each row of a list page (in the page's outer
 * query, so at most `limit` rows): its `task_analytics` language and sentiment (null before the runner has
 * analysed it), and `has_detection`, 1 when it has a detection a list shows (present, or corrected; of any
 * definition version), so that the badge read (`pageAnalytics`) runs only for the rows that have one.
 * Each is a scalar subquery, one primary-key probe per row, rather than a join or EXISTS: with a few thousand
 * analysed tasks PostgreSQL hashes a join's whole table (and an EXISTS as a "hashed SubPlan"), a scan of every
 * row of the project on each request (2 ms at 10,000 rows, 10 ms at 10,000 detections, growing with them).
 */
export const taskAnalyticsColumns = (projectId: string) => {
  const analysed = (column: "language" | "sentiment_score" | "sentiment_label") =>
    sql`(select ta.${sql.ref(column)} from task_analytics as ta
      where ta.project_id = ${projectId} and ta.task_id = tasks.id)`;
  return [
    analysed("language").$castTo<string | null>().as("language"),
    analysed("sentiment_score").$castTo<number | string | null>().as("sentiment_score"),
    analysed("sentiment_label").$castTo<string | null>().as("sentiment_label"),
    sql<number | null>`(select 1 from detections as d where d.project_id = ${projectId}
      and d.task_id = tasks.id and (d.present = 1 or d.review = 'corrected') limit 1)`.as("has_detection"),
  ];
};

/**
 * The analytics of a list page's rows, each read with its `taskAnalyticsColumns`: the badges are read only for
 * the rows that have a detection.
 */
export async function pageAnalytics(
  db: Kysely<Database>,
  projectId: string,
  rows: ReadonlyArray<{ id: string; has_detection: number | null } & AnalyticsColumns>,
): Promise<TaskAnalytics[]> {
  const detected = rows.filter((row) => Number(row.has_detection) === 1).map((row) => row.id);
  const found = await badges(db, projectId, detected, false);
  return rows.map((row) => analyticsOf(row, found.get(row.id)));
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

/** A session's roll-up (the sessions list's badges and the session page), defined with the API's types. */
export type { SessionAnalytics };

/** The most common value of `counts` (the smallest on a tie, so that a reply never depends on row order). */
function mostCommon(counts: Map<string, number>): string | null {
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

/**
 * Which of a list page's sessions have something to roll up: tasks analysed, a task's detection, a session-scope
 * detection. Selected beside each session row (index probes: `task_analytics_session`, `detections_session`, the
 * detections' primary key), so that `sessionAnalytics` reads each kind only for the sessions that have it, and
 * not at all in a project without analytics. Each is a superset of what its read keeps.
 */
export const sessionAnalyticsProbes = (projectId: string) => [
  // 1 or null; scalar subqueries, not EXISTS, for the reason given at `taskAnalyticsColumns`.
  sql<number | null>`(select 1 from task_analytics as ta where ta.project_id = ${projectId}
    and ta.session_id = sessions.id limit 1)`.as("has_analysed_task"),
  sql<number | null>`(select 1 from detections as d where d.project_id = ${projectId}
    and d.session_id = sessions.id and d.present = 1 limit 1)`.as("has_task_detection"),
  sql<number | null>`(select 1 from detections as d where d.project_id = ${projectId}
    and d.task_id = cast(${sessionTaskId("")} as text) || sessions.id
    and (d.present = 1 or d.review = 'corrected') limit 1)`.as("has_session_detection"),
];

/** The sessions of a page for which each roll-up read is needed (`sessionAnalyticsProbes`); default: all. */
export interface SessionReads {
  analysed: string[];
  taskDetections: string[];
  sessionDetections: string[];
}

/**
 * The roll-up of each session. Grouped in the database, so that the reply (and the work in JavaScript) grows
 * with sessions × distinct labels and events; the reads are index-only (migration 012), independent, and run
 * side by side (on SQLite, on separate reader processes).
 */
export async function sessionAnalytics(
  db: Kysely<Database>,
  projectId: string,
  sessionIds: string[],
  reads: SessionReads = { analysed: sessionIds, taskDetections: sessionIds, sessionDetections: sessionIds },
): Promise<Map<string, SessionAnalytics>> {
  const out = new Map<string, SessionAnalytics>();
  if (sessionIds.length === 0) return out;
  const grouped = () =>
    db
      .selectFrom("task_analytics")
      .select((eb) => [
        "session_id",
        "language",
        "sentiment_label",
        eb.fn.countAll<number | string>().as("n"),
        eb.fn.count<number | string>("sentiment_score").as("scored"),
        eb.fn.sum<number | string | null>("sentiment_score").as("score_sum"),
      ])
      .where("project_id", "=", projectId)
      .where("session_id", "in", reads.analysed)
      .groupBy(["session_id", "language", "sentiment_label"])
      .execute();
  // Counted per definition version from the covering index alone, then kept for the current versions of the task
  // definitions (a join per detection row cost more than the count itself).
  const countedEvents = async () => {
    const [counted, current] = await Promise.all([
      db
        .selectFrom("detections")
        .select((eb) => [
          "session_id",
          "definition_id",
          "definition_version",
          eb.fn.countAll<number>().as("tasks"),
        ])
        .where("project_id", "=", projectId)
        .where("session_id", "in", reads.taskDetections)
        .where("present", "=", 1)
        .where((eb) => eb.or([eb("review", "is", null), eb("review", "!=", "removed")]))
        .groupBy(["session_id", "definition_id", "definition_version"])
        .execute(),
      db
        .selectFrom("event_definitions")
        .select(["id", "name", "version"])
        .where("project_id", "=", projectId)
        .where("scope", "!=", "session")
        .execute(),
    ]);
    return { counted, definitions: new Map(current.map((definition) => [definition.id, definition])) };
  };
  const [rows, { counted, definitions }, sessionBadges] = await Promise.all([
    reads.analysed.length > 0 ? grouped() : [],
    reads.taskDetections.length > 0 ? countedEvents() : { counted: [], definitions: new Map() },
    badges(db, projectId, reads.sessionDetections.map(sessionTaskId), false),
  ]);
  const taskEvents = counted
    .flatMap((row) => {
      const definition = definitions.get(row.definition_id);
      return definition && definition.version === row.definition_version
        ? [{ session_id: row.session_id, event_id: definition.id, name: definition.name, tasks: row.tasks }]
        : [];
    })
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const sums = new Map<
    string,
    { languages: Map<string, number>; labels: Map<string, number>; scored: number; sum: number }
  >();
  for (const row of rows) {
    if (row.session_id === null) continue;
    const sum = sums.get(row.session_id) ?? { languages: new Map(), labels: new Map(), scored: 0, sum: 0 };
    const n = Number(row.n);
    if (row.language !== null) sum.languages.set(row.language, (sum.languages.get(row.language) ?? 0) + n);
    if (row.sentiment_label !== null)
      sum.labels.set(row.sentiment_label, (sum.labels.get(row.sentiment_label) ?? 0) + n);
    sum.scored += Number(row.scored);
    sum.sum += Number(row.score_sum ?? 0);
    sums.set(row.session_id, sum);
  }
  for (const id of sessionIds) {
    const sum = sums.get(id);
    out.set(id, {
      language: sum ? mostCommon(sum.languages) : null,
      sentiment: {
        average: sum && sum.scored > 0 ? sum.sum / sum.scored : null,
        label: sum ? mostCommon(sum.labels) : null,
      },
      events: sessionBadges.get(sessionTaskId(id)) ?? [],
      task_events: [],
    });
  }
  for (const row of taskEvents) {
    if (row.session_id === null) continue;
    out
      .get(row.session_id)
      ?.task_events.push({ event_id: row.event_id, name: row.name, tasks: Number(row.tasks) });
  }
  return out;
}

/** Adds `analytics` (the roll-up) to each session of a list page; `reads`: see `sessionAnalyticsProbes`. */
export async function withSessionAnalytics<T extends { id: string }>(
  db: Kysely<Database>,
  projectId: string,
  sessions: T[],
  reads?: SessionReads,
): Promise<Array<T & { analytics: SessionAnalytics }>> {
  const found = await sessionAnalytics(
    db,
    projectId,
    sessions.map((session) => session.id),
    reads,
  );
  return sessions.map((session) => ({
    ...session,
    analytics: found.get(session.id) ?? {
      language: null,
      sentiment: { average: null, label: null },
      events: [],
      task_events: [],
    },
  }));
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

/**
 * The aggregates as the tasks say they should be: computed from a full scan, used once by migration 009 to fold
 * in existing data, and by the check to compare with what ingest kept.
 */
import { sql, type Kysely } from "kysely";
import { chunks } from "../store/chunks.js";
import type { Database } from "../store/schema.js";
import type { TaskRow } from "../store/types.js";
import { addTask, rollups, userDeltas, type BucketDelta, type UserDelta } from "./contribution.js";
import { HOUR_MS } from "./keys.js";
import { scanTasks } from "./scan.js";
import { userRow } from "./user-upsert.js";
import { writeRollups } from "./write.js";

export interface ExpectedAggregates {
  /** Per project, per bucket key string. */
  buckets: Map<string, Map<string, BucketDelta>>;
  users: Map<string, Map<string, UserDelta>>;
}

export async function expectedAggregates(db: Kysely<Database>): Promise<ExpectedAggregates> {
  const buckets = new Map<string, Map<string, BucketDelta>>();
  const users = new Map<string, Map<string, UserDelta>>();
  for await (const page of scanTasks(db)) {
    for (const row of page) {
      const task = row as TaskRow;
      let project = buckets.get(task.project_id);
      if (!project) buckets.set(task.project_id, (project = new Map()));
      addTask(project, task, 1);
      let projectUsers = users.get(task.project_id);
      if (!projectUsers) users.set(task.project_id, (projectUsers = new Map()));
      for (const delta of userDeltas([{ before: null, after: task }])) {
        const kept = projectUsers.get(delta.user_id);
        if (!kept) projectUsers.set(delta.user_id, delta);
        else {
          kept.tasks += delta.tasks;
          kept.success += delta.success;
          kept.failure += delta.failure;
          kept.total_tokens += delta.total_tokens;
          kept.cost_nano += delta.cost_nano;
          kept.first = Math.min(kept.first, delta.first);
          kept.last = Math.max(kept.last, delta.last);
        }
      }
    }
  }
  return { buckets, users };
}

/** Replaces every aggregate row with the values computed from the tasks (shard 0). */
// The migration runs before the schema exists in types, so it passes an untyped handle.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rebuildAggregates(anyDb: Kysely<any>): Promise<void> {
  const db = anyDb as Kysely<Database>;
  const expected = await expectedAggregates(db);
  await db.deleteFrom("agg_hourly").execute();
  await db.deleteFrom("agg_latency").execute();
  await db.deleteFrom("agg_daily").execute();
  await db.deleteFrom("agg_latency_daily").execute();
  await db.deleteFrom("agg_users").execute();
  await db.deleteFrom("agg_session_starts").execute();
  const starts = await expectedSessionStarts(db);
  for (const part of chunks([...starts], 200)) {
    await db
      .insertInto("agg_session_starts")
      .values(
        part.map(([key, sessions]) => {
          const [projectId, hour] = key.split("\u0000");
          return { project_id: projectId!, hour: Number(hour), shard: 0, sessions };
        }),
      )
      .execute();
  }
  for (const [projectId, project] of expected.buckets) {
    await writeRollups(db, projectId, rollups(project.values()), 0, "insert");
  }
  for (const [projectId, project] of expected.users) {
    for (const part of chunks([...project.values()], 200)) {
      await db
        .insertInto("agg_users")
        .values(part.map((user) => ({ project_id: projectId, ...userRow(user, user.first, user.last) })))
        .execute();
    }
  }
}

/** Sessions started per project and hour, from the sessions table (itself checked against the tasks). */
export async function expectedSessionStarts(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("sessions")
    .select(["project_id", sql<number>`created_at - (created_at % ${sql.lit(HOUR_MS)})`.as("hour")])
    .select(sql<number>`count(*)`.as("n"))
    .groupBy(["project_id", sql`created_at - (created_at % ${sql.lit(HOUR_MS)})`])
    .execute();
  return new Map(rows.map((row) => [`${row.project_id}\u0000${Number(row.hour)}`, Number(row.n)]));
}

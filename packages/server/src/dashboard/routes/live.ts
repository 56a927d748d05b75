/**
 * Live updates by polling. `latest` is the `received_at` of the newest task in time order (tasks dated more than a
 * day ahead left out): one row read from the `(project_id, created_at, received_at, id)` index, so polling stays
 * O(1) at any size. A task backdated by
 * its client (a backfill) does not move it; such tasks show on the next reload. `newTasks` counts matching
 * tasks received after `since` among those created in the hour before it (also an index range).
 */
import type { FastifyPluginAsync } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { taskWhere } from "../queries/where.js";
import { projectIdOf } from "./request.js";

const latestQuery = filterSchema.extend({
  since: z.coerce
    .number()
    .int()
    .min(0)
    .max(253_402_300_799_999, "must be a time before the year 10000")
    .optional(),
});
/** How far before `since` a task's own time may be for it to count as new. */
const NEW_TASK_WINDOW_MS = 60 * 60 * 1000;
/**
 * Tasks dated further ahead than this are left out of `latest`: one event with a far-future time would otherwise
 * stay the newest by time for ever, and freeze the signal.
 */
const FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

export const liveRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  const { store } = ctx;
  app.get("/latest", async (request) => {
    const q = parseQuery(latestQuery, request.query);
    const projectId = projectIdOf(request);
    const newest = await store.db
      .selectFrom("tasks")
      .select("received_at")
      .where("project_id", "=", projectId)
      .where("created_at", "<=", Date.now() + FUTURE_SKEW_MS)
      .orderBy("created_at", "desc")
      .orderBy("received_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    const latest = newest ? Number(newest.received_at) : null;
    let newTasks = 0;
    if (q.since !== undefined && latest !== null && latest > q.since) {
      const row = await store.db
        .selectFrom("tasks")
        .select(sql<number>`count(*)`.as("n"))
        .where(taskWhere(store.dialect, projectId, toTaskFilters(q)))
        .where("tasks.created_at", ">=", q.since - NEW_TASK_WINDOW_MS)
        .where("tasks.received_at", ">", q.since)
        .executeTakeFirst();
      newTasks = Number(row?.n ?? 0);
    }
    return { latest, newTasks };
  });
};

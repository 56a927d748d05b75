/** Live updates by polling: the newest `received_at` and how many tasks arrived after `since`. Two small reads. */
import type { FastifyPluginAsync } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { taskWhere } from "../queries/where.js";
import { projectIdOf } from "./request.js";

const latestQuery = filterSchema.extend({ since: z.coerce.number().int().min(0).optional() });

export const liveRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  const { store } = ctx;
  app.get("/latest", async (request) => {
    const q = parseQuery(latestQuery, request.query);
    const projectId = projectIdOf(request);
    const newest = await store.db
      .selectFrom("tasks")
      .select(sql<number | null>`max(tasks.received_at)`.as("latest"))
      .where("project_id", "=", projectId)
      .executeTakeFirst();
    const latest = newest?.latest === null || newest?.latest === undefined ? null : Number(newest.latest);
    let newTasks = 0;
    if (q.since !== undefined && latest !== null && latest > q.since) {
      const row = await store.db
        .selectFrom("tasks")
        .select(sql<number>`count(*)`.as("n"))
        .where(taskWhere(store.dialect, projectId, toTaskFilters(q)))
        .where("tasks.received_at", ">", q.since)
        .executeTakeFirst();
      newTasks = Number(row?.n ?? 0);
    }
    return { latest, newTasks };
  });
};

/**
 * Export of the filtered view as CSV or JSONL. The reply is a stream fed by keyset pages, so a million rows
 * never sit in memory: Readable.from pulls the next page only when the socket has taken the previous one.
 */
import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { TaskAnalytics } from "../api-types.js";
import type { DashboardContext } from "../context.js";
import { taskAnalytics } from "../../analytics/reads.js";
import type { TaskRow } from "../../store/types.js";
import { csvHeader, csvLine, jsonLine, NO_ANALYTICS } from "../queries/export-format.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { iterateTasks } from "../queries/tasks.js";
import { projectIdOf } from "./request.js";

const exportQuery = filterSchema.extend({ format: z.enum(["csv", "jsonl"]).default("csv") });

/** Rows whose analytics (language, sentiment, events) are read in one query per this many. */
const ANALYTICS_PAGE = 500;

export const exportRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/export", async (request, reply) => {
    const q = parseQuery(exportQuery, request.query);
    const projectId = projectIdOf(request);
    const rows = iterateTasks(ctx.store, projectId, toTaskFilters(q));
    const format = (row: TaskRow, found: Map<string, TaskAnalytics>) => {
      const analytics = found.get(row.id) ?? NO_ANALYTICS;
      return q.format === "csv" ? csvLine(row, analytics) : jsonLine(row, analytics);
    };
    async function* page(batch: TaskRow[]) {
      const found = await taskAnalytics(
        ctx.store.db,
        projectId,
        batch.map((row) => row.id),
      );
      for (const row of batch) yield format(row, found);
    }
    async function* lines() {
      if (q.format === "csv") yield csvHeader();
      let batch: TaskRow[] = [];
      for await (const row of rows) {
        batch.push(row);
        if (batch.length < ANALYTICS_PAGE) continue;
        yield* page(batch);
        batch = [];
      }
      if (batch.length > 0) yield* page(batch);
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    reply
      .header(
        "content-type",
        q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      )
      .header("content-disposition", `attachment; filename="tasks-${stamp}.${q.format}"`)
      .header("cache-control", "no-store");
    return reply.send(Readable.from(lines()));
  });
};

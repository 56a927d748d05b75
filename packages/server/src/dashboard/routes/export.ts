/**
 * Export of the filtered view as CSV or JSONL. The reply is a stream fed by keyset pages, so a million rows
 * never sit in memory: Readable.from pulls the next page only when the socket has taken the previous one.
 */
import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { DashboardContext } from "../context.js";
import { csvHeader, csvLine, jsonLine } from "../queries/export-format.js";
import { filterSchema, parseQuery, toTaskFilters } from "../queries/params.js";
import { iterateTasks } from "../queries/tasks.js";
import { projectIdOf } from "./request.js";

const exportQuery = filterSchema.extend({ format: z.enum(["csv", "jsonl"]).default("csv") });

export const exportRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/export", async (request, reply) => {
    const q = parseQuery(exportQuery, request.query);
    const projectId = projectIdOf(request);
    const rows = iterateTasks(ctx.store, projectId, toTaskFilters(q));
    async function* lines() {
      if (q.format === "csv") yield csvHeader();
      for await (const row of rows) yield q.format === "csv" ? csvLine(row) : jsonLine(row);
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

/**
 * Project prices: `GET /prices` (the project's overrides and pending re-pricing), `PUT /prices` (add or replace
 * the price of one model), `DELETE /prices?model=` (back to the catalogue), `GET /prices/unknown-models` (models
 * with tokens but no price). A change re-prices that model's past tasks in the background (pricing/reprice.ts).
 */
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { CATALOGUE } from "../../pricing/index.js";
import { pendingRepricing, repriceMarker } from "../../pricing/reprice.js";
import { KyselyStore } from "../../store/kysely-store.js";
import type { Store } from "../../store/types.js";
import type { DashboardContext } from "../context.js";
import { DashboardError } from "../errors.js";
import { parseQuery } from "../queries/params.js";
import { parseBody, projectIdOf } from "./request.js";

const usdPerMillion = z
  .number()
  .finite()
  .min(0, "must be a price ≥ 0 (USD per million tokens)")
  .max(1_000_000);
const priceBody = z
  .object({
    model: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine((v) => !v.includes("\u0000"), "must not contain NUL"),
    input_mtok: usdPerMillion,
    output_mtok: usdPerMillion,
    cache_read_mtok: usdPerMillion.nullable().optional(),
    cache_write_mtok: usdPerMillion.nullable().optional(),
    reasoning_mtok: usdPerMillion.nullable().optional(),
  })
  .strict();
const modelQuery = z.object({ model: z.string().trim().min(1).max(500) });

function kysely(store: Store): KyselyStore {
  if (!(store instanceof KyselyStore)) throw new DashboardError(501, "prices need the collector's own store");
  return store;
}

export const priceRoutes: FastifyPluginAsync<{ ctx: DashboardContext }> = async (app, { ctx }) => {
  app.get("/prices", async (request) => {
    const store = kysely(ctx.store);
    const projectId = projectIdOf(request);
    const rows = await store.db
      .selectFrom("project_prices")
      .select([
        "model",
        "input_mtok",
        "output_mtok",
        "cache_read_mtok",
        "cache_write_mtok",
        "reasoning_mtok",
        "updated_at",
      ])
      .where("project_id", "=", projectId)
      .orderBy("model")
      .execute();
    return {
      catalogue: CATALOGUE,
      prices: rows.map((row) => ({ ...row, updated_at: Number(row.updated_at) })),
      repricing: await pendingRepricing(store, projectId),
    };
  });

  app.put("/prices", async (request) => {
    const store = kysely(ctx.store);
    const projectId = projectIdOf(request);
    const body = parseBody(priceBody, request.body);
    const row = {
      project_id: projectId,
      model: body.model,
      input_mtok: body.input_mtok,
      output_mtok: body.output_mtok,
      cache_read_mtok: body.cache_read_mtok ?? null,
      cache_write_mtok: body.cache_write_mtok ?? null,
      reasoning_mtok: body.reasoning_mtok ?? null,
      updated_at: Date.now(),
    };
    const marker = repriceMarker(projectId, body.model);
    await store.queue.run(async (trx) => {
      const { project_id: _p, model: _m, ...values } = row;
      await trx
        .insertInto("project_prices")
        .values(row)
        .onConflict((conflict) => conflict.columns(["project_id", "model"]).doUpdateSet(values))
        .execute();
      await trx
        .insertInto("settings")
        .values(marker)
        .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: marker.value }))
        .execute();
    });
    const { project_id: _project, ...price } = row;
    return { price, repricing: true };
  });

  app.delete("/prices", async (request) => {
    const store = kysely(ctx.store);
    const projectId = projectIdOf(request);
    const { model } = parseQuery(modelQuery, request.query);
    const marker = repriceMarker(projectId, model);
    const deleted = await store.queue.run(async (trx) => {
      const result = await trx
        .deleteFrom("project_prices")
        .where("project_id", "=", projectId)
        .where("model", "=", model)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await trx
        .insertInto("settings")
        .values(marker)
        .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: marker.value }))
        .execute();
      return true;
    });
    if (!deleted) throw new DashboardError(404, `no project price for model ${model}`);
    return { deleted: model, repricing: true };
  });

  app.get("/prices/unknown-models", async (request) => {
    const store = kysely(ctx.store);
    const rows = await store.db
      .selectFrom("agg_hourly")
      .select((eb) => [
        "model",
        eb.fn.sum<number>("tokens_count").as("with_tokens"),
        eb.fn.sum<number>("cost_tasks").as("priced"),
      ])
      .where("project_id", "=", projectIdOf(request))
      .where("model", "!=", "")
      .groupBy("model")
      .execute();
    const models = rows
      .map((row) => ({ model: row.model.slice(1), tasks: Number(row.with_tokens) - Number(row.priced) }))
      .filter((row) => row.tasks > 0)
      .sort((a, b) => b.tasks - a.tasks || (a.model < b.model ? -1 : 1));
    return { models };
  });
};

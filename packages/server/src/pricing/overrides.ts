/**
 * Project price overrides: a project's own prices for its own or fine-tuned models, per million tokens, in USD.
 * They win over the catalogue. Cache and reasoning prices default to the input and output prices.
 */
import type { Kysely } from "kysely";
import type { Database, ProjectPricesTable } from "../store/schema.js";
import type { TokenUsage } from "./catalogue.js";

export type ProjectPrice = Omit<ProjectPricesTable, "project_id">;

export async function loadOverrides(
  db: Kysely<Database>,
  projectId: string,
): Promise<Map<string, ProjectPrice>> {
  const rows = await db
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
    .execute();
  return new Map(rows.map((row) => [row.model, { ...row, updated_at: Number(row.updated_at) }]));
}

export function overridePrice(price: ProjectPrice, tokens: TokenUsage): number {
  const cached = tokens.cacheRead + tokens.cacheWrite;
  const uncached = Math.max(0, tokens.prompt - cached);
  const plainOutput = Math.max(0, tokens.completion - tokens.reasoning);
  const input = price.input_mtok;
  const output = price.output_mtok;
  return (
    (uncached * input +
      tokens.cacheRead * (price.cache_read_mtok ?? input) +
      tokens.cacheWrite * (price.cache_write_mtok ?? input) +
      plainOutput * output +
      tokens.reasoning * (price.reasoning_mtok ?? output)) /
    1e6
  );
}

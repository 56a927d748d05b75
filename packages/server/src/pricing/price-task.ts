/**
 * A task's cost, as a pure function of the task, its metadata and the project's overrides: a cost the client
 * reported (flat `cost_usd`, also where OTLP's `gen_ai.usage.cost` lands) is kept and marked `reported`;
 * otherwise a project override, then the catalogue, price the tokens (`estimated`), and `cost_prices` records
 * the prices used. No model, no tokens or no price: all null ("no price").
 */
import type { TaskRow } from "../store/types.js";
import { CATALOGUE, cataloguePrice, type CataloguePrice, type TokenUsage } from "./catalogue.js";
import { overridePrice, type ProjectPrice } from "./overrides.js";

export type CostColumns = Pick<TaskRow, "cost_usd" | "cost_source" | "cost_prices">;

const NO_COST: CostColumns = { cost_usd: null, cost_source: null, cost_prices: null };

type Priced = Pick<
  TaskRow,
  | "model"
  | "created_at"
  | "prompt_tokens"
  | "completion_tokens"
  | "cache_read_tokens"
  | "cache_write_tokens"
  | "reasoning_tokens"
>;

function reportedCost(metadata: Record<string, unknown>): number | null {
  const value = metadata.cost_usd;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

export function priceTask(
  task: Priced,
  metadata: Record<string, unknown>,
  overrides: ReadonlyMap<string, ProjectPrice>,
): CostColumns {
  const reported = reportedCost(metadata);
  if (reported !== null) return { cost_usd: reported, cost_source: "reported", cost_prices: null };
  if (task.model === null || (task.prompt_tokens === null && task.completion_tokens === null)) return NO_COST;
  const tokens: TokenUsage = {
    prompt: Number(task.prompt_tokens ?? 0),
    completion: Number(task.completion_tokens ?? 0),
    cacheRead: Number(task.cache_read_tokens ?? 0),
    cacheWrite: Number(task.cache_write_tokens ?? 0),
    reasoning: Number(task.reasoning_tokens ?? 0),
  };
  const override = overrides.get(task.model);
  if (override) {
    const { updated_at, ...prices } = override;
    return {
      cost_usd: overridePrice(override, tokens),
      cost_source: "estimated",
      cost_prices: JSON.stringify({ source: "project", model: task.model, updated_at, prices }),
    };
  }
  const found = cataloguePrice(task.model, tokens, Number(task.created_at));
  if (!found) return NO_COST;
  return { cost_usd: found.cost, cost_source: "estimated", cost_prices: cataloguePrices(found) };
}

/** The `cost_prices` text of a catalogue price, written once per kept result (catalogue.ts keeps them). */
const pricesText = new WeakMap<CataloguePrice, string>();

function cataloguePrices(found: CataloguePrice): string {
  let text = pricesText.get(found);
  if (text === undefined) {
    text = JSON.stringify({
      source: "catalogue",
      catalogue: CATALOGUE,
      provider: found.provider,
      model: found.model,
      prices: found.prices,
    });
    pricesText.set(found, text);
  }
  return text;
}

/**
 * Prices from the maintained catalogue `@pydantic/genai-prices`, with its bundled data only (its remote update is
 * never called: nothing is downloaded at run time). The library matches a model name against every provider's
 * models, which costs about 0.2 ms a call; the match is done once per name and later calls price against a
 * provider narrowed to that one model, so the library still does all the price math (cache and reasoning
 * units, tiers, dated prices) at a quarter of the cost.
 *
 * That math still costs about 30 µs a call, a tenth of a task's whole ingest. Its result depends only on the
 * model, the token counts and the price in force at the task's time; for a model whose price is not dated (a
 * plain price, no start-date or time-of-day conditions) it is the same for the same counts, so those results are
 * kept (bounded) and a repeated (model, counts) pair costs a map lookup. Dated prices are always computed.
 */
import { calcPrice, type ModelPrice, type Provider } from "@pydantic/genai-prices";

export const CATALOGUE = "@pydantic/genai-prices";

/** Token counts as the task columns hold them: cache parts of the prompt, reasoning part of the completion. */
export interface TokenUsage {
  prompt: number;
  completion: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export interface CataloguePrice {
  cost: number;
  provider: string;
  model: string;
  prices: ModelPrice;
}

interface Narrowed {
  provider: Provider;
  /** The model's price never depends on the time: its results can be kept by token counts. */
  undated: boolean;
  results: Map<string, CataloguePrice | null>;
}

const narrowed = new Map<string, Narrowed | null>();

/** Results kept per undated model; past it the model's map starts over (a cache, not a record). */
const RESULTS_PER_MODEL = 4_096;

/** The library's usage keys: `input_tokens` includes the cache reads and writes, `output_tokens` the reasoning. */
function usageOf(tokens: TokenUsage) {
  return {
    input_tokens: Math.max(tokens.prompt, tokens.cacheRead + tokens.cacheWrite),
    cache_read_tokens: tokens.cacheRead,
    cache_write_tokens: tokens.cacheWrite,
    output_tokens: Math.max(tokens.completion, tokens.reasoning),
    output_reasoning_tokens: tokens.reasoning,
  };
}

function narrowFor(model: string): Narrowed | null {
  let entry = narrowed.get(model);
  if (entry === undefined) {
    const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model);
    entry = found
      ? {
          provider: { ...found.provider, models: [{ ...found.model, match: { equals: model } }] },
          undated: !Array.isArray(found.model.prices),
          results: new Map(),
        }
      : null;
    narrowed.set(model, entry);
  }
  return entry;
}

function compute(model: string, provider: Provider, tokens: TokenUsage, at: number): CataloguePrice | null {
  try {
    const result = calcPrice(usageOf(tokens), model, { provider, timestamp: new Date(at) });
    if (!result) return null;
    return {
      cost: result.total_price,
      provider: result.provider.id,
      model: result.model.id,
      prices: result.model_price,
    };
  } catch {
    // The library refuses usage it cannot price (for example a unit the model lacks): no price, not an error.
    return null;
  }
}

/** The catalogue's price of these tokens at `at` (ms), or null when the catalogue has no price for the model. */
export function cataloguePrice(model: string, tokens: TokenUsage, at: number): CataloguePrice | null {
  const entry = narrowFor(model);
  if (!entry) return null;
  if (!entry.undated) return compute(model, entry.provider, tokens, at);
  const key = `${tokens.prompt},${tokens.completion},${tokens.cacheRead},${tokens.cacheWrite},${tokens.reasoning}`;
  let result = entry.results.get(key);
  if (result === undefined) {
    result = compute(model, entry.provider, tokens, at);
    if (entry.results.size >= RESULTS_PER_MODEL) entry.results.clear();
    entry.results.set(key, result);
  }
  return result;
}

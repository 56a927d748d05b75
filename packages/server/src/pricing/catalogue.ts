/**
 * Prices from the maintained catalogue `@pydantic/genai-prices`, with its bundled data only (its remote update is
 * never called: nothing is downloaded at run time). The library matches a model name against every provider's
 * models, which costs about 0.2 ms a call; the match is done once per name and later calls price against a
 * provider narrowed to that one model, so the library still does all the price math (cache and reasoning
 * units, tiers, dated prices) at a quarter of the cost.
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

const narrowed = new Map<string, Provider | null>();

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

function providerFor(model: string): Provider | null {
  let provider = narrowed.get(model);
  if (provider === undefined) {
    const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model);
    provider = found ? { ...found.provider, models: [{ ...found.model, match: { equals: model } }] } : null;
    narrowed.set(model, provider);
  }
  return provider;
}

/** The catalogue's price of these tokens at `at` (ms), or null when the catalogue has no price for the model. */
export function cataloguePrice(model: string, tokens: TokenUsage, at: number): CataloguePrice | null {
  const provider = providerFor(model);
  if (!provider) return null;
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

/**
 * Cost fixtures, each price worked out by hand from the provider's published per-million prices (as the
 * catalogue holds them): cache reads and writes are parts of the prompt, reasoning a part of the completion.
 */
import { describe, expect, it } from "vitest";
import { priceTask, type ProjectPrice } from "../../src/pricing/index.js";

const AT = Date.parse("2025-10-01T00:00:00Z");

function task(model: string | null, tokens: Partial<Record<string, number>>) {
  return {
    model,
    created_at: AT,
    prompt_tokens: tokens.prompt ?? null,
    completion_tokens: tokens.completion ?? null,
    cache_read_tokens: tokens.cacheRead ?? null,
    cache_write_tokens: tokens.cacheWrite ?? null,
    reasoning_tokens: tokens.reasoning ?? null,
  };
}

const none = new Map<string, ProjectPrice>();

describe("cost at ingest", () => {
  it.each([
    // gpt-4o: $2.50 input, $1.25 cached input, $10 output. 600 × 2.5 + 400 × 1.25 + 500 × 10 = 7,000 µ$.
    [
      "OpenAI gpt-4o, cached and reasoning",
      "gpt-4o",
      { prompt: 1000, cacheRead: 400, completion: 500, reasoning: 200 },
      0.007,
    ],
    // o3-mini: $1.10 input, $4.40 output; reasoning billed as output. 1000 × 1.1 + 500 × 4.4 = 3,300 µ$.
    ["OpenAI o3-mini, reasoning", "o3-mini", { prompt: 1000, completion: 500, reasoning: 300 }, 0.0033],
    // Claude 3.5 Sonnet: $3 input, $0.30 cache read, $3.75 cache write, $15 output.
    // 500 × 3 + 500 × 0.3 + 1000 × 3.75 + 100 × 15 = 6,900 µ$.
    [
      "Anthropic claude-3-5-sonnet, cache read and write",
      "claude-3-5-sonnet-20241022",
      { prompt: 2000, cacheRead: 500, cacheWrite: 1000, completion: 100 },
      0.0069,
    ],
    // Gemini 2.5 Pro, prompts ≤ 200k: $1.25 input, $10 output. 100,000 × 1.25 + 1000 × 10 = 135,000 µ$.
    ["Google gemini-2.5-pro, first tier", "gemini-2.5-pro", { prompt: 100_000, completion: 1000 }, 0.135],
    // Above 200k the whole prompt is at $2.50 and the output at $15: 300,000 × 2.5 + 1000 × 15 = 765,000 µ$.
    ["Google gemini-2.5-pro, second tier", "gemini-2.5-pro", { prompt: 300_000, completion: 1000 }, 0.765],
    // Gemini 2.5 Flash: $0.30 input, $0.03 cached, $2.50 output (thinking included).
    // 80,000 × 0.3 + 20,000 × 0.03 + 1000 × 2.5 = 27,100 µ$.
    [
      "Google gemini-2.5-flash, cached and thinking",
      "gemini-2.5-flash",
      { prompt: 100_000, cacheRead: 20_000, completion: 1000, reasoning: 500 },
      0.0271,
    ],
  ])("%s", (_name, model, tokens, expected) => {
    const cost = priceTask(task(model, tokens), {}, none);
    expect(cost.cost_source).toBe("estimated");
    expect(cost.cost_usd).toBeCloseTo(expected, 12);
    expect(JSON.parse(cost.cost_prices!)).toMatchObject({
      source: "catalogue",
      catalogue: "@pydantic/genai-prices",
    });
  });

  it("prices a project's own model with its override, cache and reasoning at their own prices", () => {
    const overrides = new Map<string, ProjectPrice>([
      [
        "ft:my-model",
        {
          model: "ft:my-model",
          input_mtok: 2,
          output_mtok: 8,
          cache_read_mtok: 0.5,
          cache_write_mtok: null,
          reasoning_mtok: 12,
          updated_at: 1,
        },
      ],
    ]);
    // 800 × 2 + 200 × 0.5 + 200 × 8 + 100 × 12 = 4,500 µ$.
    const cost = priceTask(
      task("ft:my-model", { prompt: 1000, cacheRead: 200, completion: 300, reasoning: 100 }),
      {},
      overrides,
    );
    expect(cost.cost_usd).toBeCloseTo(0.0045, 12);
    expect(JSON.parse(cost.cost_prices!)).toMatchObject({ source: "project", model: "ft:my-model" });
    // An override also wins over the catalogue's price of a known model.
    const gpt = new Map([["gpt-4o", { ...overrides.get("ft:my-model")!, model: "gpt-4o" }]]);
    expect(priceTask(task("gpt-4o", { prompt: 1_000_000, completion: 0 }), {}, gpt).cost_usd).toBeCloseTo(
      2,
      12,
    );
  });

  it("keeps a reported cost, marked reported; no model, no tokens or no price is no cost", () => {
    expect(priceTask(task("gpt-4o", { prompt: 10, completion: 10 }), { cost_usd: 0.42 }, none)).toEqual({
      cost_usd: 0.42,
      cost_source: "reported",
      cost_prices: null,
    });
    const nothing = { cost_usd: null, cost_source: null, cost_prices: null };
    expect(priceTask(task("unknown-model-x", { prompt: 10, completion: 10 }), {}, none)).toEqual(nothing);
    expect(priceTask(task(null, { prompt: 10 }), {}, none)).toEqual(nothing);
    expect(priceTask(task("gpt-4o", {}), {}, none)).toEqual(nothing);
  });
});

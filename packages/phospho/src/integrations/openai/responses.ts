// `responses.create`: a response, or the final response carried by a stream's last event (`response.completed`,
// `response.incomplete`, `response.failed`); a stream cut short is rebuilt from its text deltas.

import { tokens, type Summary, type Tokens } from "../shared/measure.js";
import { isObject } from "../shared/options.js";
import { joinOutput, jsonText, str, type ToolCallText } from "../shared/text.js";
import type { Adapter, StreamReader } from "../shared/trace-call.js";

export function responseTokens(usage: unknown): Tokens {
  if (!isObject(usage)) return {};
  const input = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return tokens({
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
    cache_read_tokens: input.cached_tokens,
    cache_write_tokens: undefined,
    reasoning_tokens: output.reasoning_tokens,
  });
}

function outputText(items: unknown): { text: string; tools: ToolCallText[] } {
  let text = "";
  const tools: ToolCallText[] = [];
  if (!Array.isArray(items)) return { text, tools };
  for (const item of items as unknown[]) {
    if (!isObject(item)) continue;
    if (item.type === "message" && Array.isArray(item.content)) {
      for (const part of item.content as unknown[]) {
        if (isObject(part) && part.type === "output_text" && typeof part.text === "string") text += part.text;
      }
    } else if (item.type === "function_call" || item.type === "custom_tool_call") {
      tools.push({ name: str(item.name) ?? "", arguments: jsonText(item.arguments ?? item.input ?? "") });
    }
  }
  return { text, tools };
}

function summarise(response: unknown): Summary {
  const r = isObject(response) ? response : {};
  const { text, tools } = outputText(r.output);
  return {
    output: response,
    text: joinOutput(text, tools),
    model: str(r.model),
    tokens: responseTokens(r.usage),
  };
}

const FINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);
const CONTENT_DELTAS = new Set([
  "response.output_text.delta",
  "response.refusal.delta",
  "response.function_call_arguments.delta",
  "response.reasoning_summary_text.delta",
  "response.reasoning_text.delta",
]);

class ResponseStream implements StreamReader {
  #latest: Record<string, unknown> | undefined;
  #final: unknown;
  #text = "";

  add(event: unknown): boolean {
    if (!isObject(event) || typeof event.type !== "string") return false;
    if (isObject(event.response)) {
      this.#latest = event.response;
      if (FINAL.has(event.type)) this.#final = event.response;
    }
    if (event.type === "response.output_text.delta" && typeof event.delta === "string")
      this.#text += event.delta;
    return CONTENT_DELTAS.has(event.type);
  }

  summary(): Summary {
    if (this.#final !== undefined) return summarise(this.#final);
    const partial: Record<string, unknown> = { ...this.#latest, output_text: this.#text };
    return { output: partial, text: this.#text || null, model: str(partial.model), tokens: {} };
  }
}

export const responsesAdapter: Adapter = {
  provider: "openai",
  summarise,
  stream: () => new ResponseStream(),
};

// Reads what a language model returned through the AI SDK's provider interface (LanguageModelV2 to V4): the
// content parts of a generation, or the parts of a stream, and the usage in either of its shapes.

import { tokens, type Summary, type Tokens } from "../shared/measure.js";
import { isObject } from "../shared/options.js";
import { joinOutput, jsonText, str, type ToolCallText } from "../shared/text.js";

/** V3/V4 nest the counts (`inputTokens: { total, cacheRead, … }`); V2 has them flat (`cachedInputTokens`). */
export function usageTokens(usage: unknown): Tokens {
  if (!isObject(usage)) return {};
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  if (isObject(input) || isObject(output)) {
    const i = isObject(input) ? input : {};
    const o = isObject(output) ? output : {};
    return tokens({
      prompt_tokens: i.total,
      completion_tokens: o.total,
      total_tokens: undefined,
      cache_read_tokens: i.cacheRead,
      cache_write_tokens: i.cacheWrite,
      reasoning_tokens: o.reasoning,
    });
  }
  return tokens({
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: usage.totalTokens,
    cache_read_tokens: usage.cachedInputTokens,
    cache_write_tokens: undefined,
    reasoning_tokens: usage.reasoningTokens,
  });
}

function toolCall(part: Record<string, unknown>): ToolCallText {
  return { name: str(part.toolName) ?? "", arguments: jsonText(part.input ?? part.args ?? "") };
}

/** The logged output of one model call: its content parts, finish reason and usage, as the model gave them. */
export function summariseContent(
  content: unknown[],
  finishReason: unknown,
  usage: unknown,
  model: string | undefined,
): Summary {
  let text = "";
  const tools: ToolCallText[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    if (part.type === "text" && typeof part.text === "string") text += part.text;
    else if (part.type === "tool-call") tools.push(toolCall(part));
  }
  const output: Record<string, unknown> = { content, finishReason, usage };
  if (model !== undefined) output.model = model;
  return { output, text: joinOutput(text, tools), model, tokens: usageTokens(usage) };
}

/** Joins the parts of one `doStream()` back into content parts. */
export class PartsReader {
  #text = "";
  #reasoning = "";
  #content: unknown[] = [];
  #finishReason: unknown;
  #usage: unknown;
  model: string | undefined;
  error: unknown;

  /** `true` when the part carried generated content (for the time to first token). */
  add(part: unknown): boolean {
    if (!isObject(part)) return false;
    switch (part.type) {
      case "text-delta": {
        const delta = str(part.delta) ?? str(part.textDelta) ?? "";
        this.#text += delta;
        return delta !== "";
      }
      case "reasoning-delta":
        this.#reasoning += str(part.delta) ?? "";
        return true;
      case "tool-input-delta":
        return true;
      case "tool-call":
        this.#content.push(part);
        return true;
      case "response-metadata":
        this.model = str(part.modelId) ?? this.model;
        return false;
      case "finish":
        this.#finishReason = part.finishReason;
        this.#usage = part.usage;
        return false;
      case "error":
        this.error = part.error ?? "stream error part";
        return false;
      default:
        return false;
    }
  }

  summary(fallbackModel: string | undefined): Summary {
    const content: unknown[] = [];
    if (this.#reasoning) content.push({ type: "reasoning", text: this.#reasoning });
    if (this.#text) content.push({ type: "text", text: this.#text });
    content.push(...this.#content);
    return summariseContent(content, this.#finishReason, this.#usage, this.model ?? fallbackModel);
  }
}

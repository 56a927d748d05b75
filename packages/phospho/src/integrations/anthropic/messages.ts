// `messages.create`: a message, or the events of a stream joined back into one message. Anthropic's
// `input_tokens` excludes the cached part; phospho's `prompt_tokens` includes it (cache tokens are parts of it).

import { tokens, type Summary, type Tokens } from "../shared/measure.js";
import { isObject } from "../shared/options.js";
import { joinOutput, jsonText, str, type ToolCallText } from "../shared/text.js";
import type { Adapter, StreamReader } from "../shared/trace-call.js";

export function messageTokens(usage: unknown): Tokens {
  if (!isObject(usage)) return {};
  const parts = [usage.input_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens];
  const known = parts.filter((n): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0);
  return tokens({
    prompt_tokens: known.length > 0 ? known.reduce((a, b) => a + b, 0) : undefined,
    completion_tokens: usage.output_tokens,
    total_tokens: undefined,
    cache_read_tokens: usage.cache_read_input_tokens,
    cache_write_tokens: usage.cache_creation_input_tokens,
    reasoning_tokens: undefined,
  });
}

function blocksText(content: unknown): { text: string; tools: ToolCallText[] } {
  let text = "";
  const tools: ToolCallText[] = [];
  if (!Array.isArray(content)) return { text, tools };
  for (const block of content as unknown[]) {
    if (!isObject(block)) continue;
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "tool_use" || block.type === "server_tool_use") {
      tools.push({ name: str(block.name) ?? "", arguments: jsonText(block.input ?? {}) });
    }
  }
  return { text, tools };
}

function summarise(message: unknown): Summary {
  const m = isObject(message) ? message : {};
  const { text, tools } = blocksText(m.content);
  return {
    output: message,
    text: joinOutput(text, tools),
    model: str(m.model),
    tokens: messageTokens(m.usage),
  };
}

type Block = Record<string, unknown> & { partialJson?: string };

class MessageStream implements StreamReader {
  #message: Record<string, unknown> = { type: "message", role: "assistant", content: [] };
  #blocks: Block[] = [];
  #usage: Record<string, unknown> = {};

  add(event: unknown): boolean {
    if (!isObject(event)) return false;
    switch (event.type) {
      case "message_start":
        if (isObject(event.message)) {
          this.#message = { ...event.message, content: [] };
          if (isObject(event.message.usage)) Object.assign(this.#usage, event.message.usage);
        }
        return false;
      case "content_block_start":
        if (typeof event.index === "number" && isObject(event.content_block)) {
          this.#blocks[event.index] = { ...event.content_block };
        }
        return false;
      case "content_block_delta": {
        const block = typeof event.index === "number" ? this.#blocks[event.index] : undefined;
        const delta = isObject(event.delta) ? event.delta : {};
        if (!block) return false;
        if (delta.type === "text_delta" && typeof delta.text === "string") {
          block.text = String(block.text ?? "") + delta.text;
        } else if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
          block.partialJson = (block.partialJson ?? "") + delta.partial_json;
        } else if (delta.type === "thinking_delta" && typeof delta.thinking === "string") {
          block.thinking = String(block.thinking ?? "") + delta.thinking;
        }
        return true;
      }
      case "message_delta":
        if (isObject(event.delta)) Object.assign(this.#message, event.delta);
        if (isObject(event.usage)) {
          for (const [key, value] of Object.entries(event.usage)) if (value != null) this.#usage[key] = value;
        }
        return false;
      default:
        return false;
    }
  }

  summary(): Summary {
    const content = this.#blocks.filter(Boolean).map(({ partialJson, ...block }) => {
      if (partialJson === undefined) return block;
      try {
        return { ...block, input: JSON.parse(partialJson) as unknown };
      } catch {
        return { ...block, input: partialJson };
      }
    });
    return summarise({ ...this.#message, content, usage: this.#usage });
  }
}

export const messagesAdapter: Adapter = {
  provider: "anthropic",
  summarise,
  stream: () => new MessageStream(),
};

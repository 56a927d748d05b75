// `chat.completions.create`: a completion, or the chunks of a stream joined back into one completion.

import { tokens, type Summary, type Tokens } from "../shared/measure.js";
import { isObject } from "../shared/options.js";
import { joinOutput, jsonText, str, type ToolCallText } from "../shared/text.js";
import type { Adapter, StreamReader } from "../shared/trace-call.js";

interface ToolCall {
  id?: string;
  type?: string;
  function: { name: string; arguments: string };
}

export function chatTokens(usage: unknown): Tokens {
  if (!isObject(usage)) return {};
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return tokens({
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
    cache_read_tokens: prompt.cached_tokens,
    cache_write_tokens: undefined,
    reasoning_tokens: completion.reasoning_tokens,
  });
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
    .join("");
}

function toolCallTexts(calls: unknown): ToolCallText[] {
  if (!Array.isArray(calls)) return [];
  return calls.flatMap((call: unknown) => {
    if (!isObject(call) || !isObject(call.function)) return [];
    const name = str(call.function.name) ?? "";
    return [{ name, arguments: jsonText(call.function.arguments ?? "") }];
  });
}

function summarise(response: unknown): Summary {
  const r = isObject(response) ? response : {};
  const first = Array.isArray(r.choices) && isObject(r.choices[0]) ? r.choices[0] : {};
  const message = isObject(first.message) ? first.message : {};
  return {
    output: response,
    text: joinOutput(contentText(message.content), toolCallTexts(message.tool_calls)),
    model: str(r.model),
    tokens: chatTokens(r.usage),
  };
}

interface Choice {
  content: string;
  refusal: string;
  tools: ToolCall[];
  finish_reason: unknown;
}

class ChatStream implements StreamReader {
  #id: unknown;
  #created: unknown;
  #model: string | undefined;
  #usage: unknown;
  #choices: Choice[] = [];

  add(chunk: unknown): boolean {
    if (!isObject(chunk)) return false;
    this.#id ??= chunk.id;
    this.#created ??= chunk.created;
    this.#model ??= str(chunk.model);
    if (isObject(chunk.usage)) this.#usage = chunk.usage;
    let token = false;
    if (!Array.isArray(chunk.choices)) return false;
    for (const raw of chunk.choices as unknown[]) {
      if (!isObject(raw)) continue;
      const index = typeof raw.index === "number" ? raw.index : 0;
      const choice = (this.#choices[index] ??= { content: "", refusal: "", tools: [], finish_reason: null });
      if (raw.finish_reason != null) choice.finish_reason = raw.finish_reason;
      const delta = isObject(raw.delta) ? raw.delta : {};
      if (typeof delta.content === "string" && delta.content !== "") {
        choice.content += delta.content;
        token = true;
      }
      if (typeof delta.refusal === "string" && delta.refusal !== "") {
        choice.refusal += delta.refusal;
        token = true;
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const part of delta.tool_calls as unknown[]) {
          if (!isObject(part)) continue;
          const at = typeof part.index === "number" ? part.index : choice.tools.length;
          const call = (choice.tools[at] ??= { function: { name: "", arguments: "" } });
          if (typeof part.id === "string") call.id = part.id;
          if (typeof part.type === "string") call.type = part.type;
          const fn = isObject(part.function) ? part.function : {};
          if (typeof fn.name === "string") call.function.name += fn.name;
          if (typeof fn.arguments === "string") call.function.arguments += fn.arguments;
          token = true;
        }
      }
    }
    return token;
  }

  summary(): Summary {
    const choices = this.#choices.map((choice, index) => {
      const message: Record<string, unknown> = { role: "assistant", content: choice.content || null };
      if (choice.refusal) message.refusal = choice.refusal;
      const tools = choice.tools.filter(Boolean);
      if (tools.length > 0) message.tool_calls = tools.map((t) => ({ type: "function", ...t }));
      return { index, message, finish_reason: choice.finish_reason };
    });
    const completion: Record<string, unknown> = { object: "chat.completion", choices };
    if (this.#id !== undefined) completion.id = this.#id;
    if (this.#created !== undefined) completion.created = this.#created;
    if (this.#model !== undefined) completion.model = this.#model;
    if (this.#usage !== undefined) completion.usage = this.#usage;
    return summarise(completion);
  }
}

export const chatAdapter: Adapter = {
  provider: "openai",
  summarise,
  stream: () => new ChatStream(),
};

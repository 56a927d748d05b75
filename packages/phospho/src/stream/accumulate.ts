// Joins stream chunks into one output text and picks up usage and model along the way. Understands OpenAI
// chat chunks (content and tool-call deltas, the final usage chunk), Anthropic message events, OpenAI
// Responses events and plain strings; anything else contributes its JSON text.

import { toJsonText } from "../extract/json-safe.js";
import type { Usage } from "../extract/types.js";
import { mergeUsage, normaliseUsage } from "../extract/usage.js";

interface ToolCallDelta {
  index?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

export class StreamAccumulator {
  #pieces: string[] = [];
  #tools = new Map<number, { name: string; args: string }>();
  usage: Usage | undefined;
  model: string | undefined;
  chunks = 0;

  add(chunk: unknown): void {
    this.chunks++;
    try {
      this.#add(chunk);
    } catch {
      // A strange chunk must not break the caller's iteration.
    }
  }

  #add(chunk: unknown): void {
    if (typeof chunk === "string") {
      this.#pieces.push(chunk);
      return;
    }
    if (chunk === null || typeof chunk !== "object") {
      if (chunk !== undefined) this.#pieces.push(String(chunk));
      return;
    }
    const c = chunk as Record<string, unknown>;
    if (typeof c.model === "string") this.model = c.model;
    if (c.usage) this.usage = mergeUsage(this.usage, normaliseUsage(c.usage));
    if (Array.isArray(c.choices)) {
      const choice = c.choices[0] as { delta?: Record<string, unknown>; text?: unknown } | undefined;
      const delta = choice?.delta;
      if (delta) {
        if (typeof delta.content === "string") this.#pieces.push(delta.content);
        if (Array.isArray(delta.tool_calls)) this.#addToolCalls(delta.tool_calls as ToolCallDelta[]);
      } else if (typeof choice?.text === "string") {
        this.#pieces.push(choice.text);
      }
      return;
    }
    if (typeof c.type === "string") {
      this.#addEvent(c.type, c);
      return;
    }
    this.#pieces.push(toJsonText(chunk, 10_000));
  }

  #addEvent(type: string, c: Record<string, unknown>): void {
    const delta = c.delta as Record<string, unknown> | string | undefined;
    if (type === "content_block_delta" && delta && typeof delta === "object") {
      if (typeof delta.text === "string") this.#pieces.push(delta.text);
      else if (typeof delta.partial_json === "string") this.#pieces.push(delta.partial_json);
    } else if (type === "response.output_text.delta" && typeof delta === "string") {
      this.#pieces.push(delta);
    } else if (type === "message_start" || type === "response.completed") {
      // Anthropic's first event carries the message, OpenAI Responses' last one the response.
      const whole = (type === "message_start" ? c.message : c.response) as
        { usage?: unknown; model?: unknown } | undefined;
      if (typeof whole?.model === "string") this.model = whole.model;
      this.usage = mergeUsage(this.usage, normaliseUsage(whole?.usage));
    }
  }

  #addToolCalls(deltas: ToolCallDelta[]): void {
    for (const d of deltas) {
      const index = typeof d.index === "number" ? d.index : 0;
      const entry = this.#tools.get(index) ?? { name: "", args: "" };
      if (typeof d.function?.name === "string") entry.name += d.function.name;
      if (typeof d.function?.arguments === "string") entry.args += d.function.arguments;
      this.#tools.set(index, entry);
    }
  }

  text(): string | null {
    const text = this.#pieces.join("");
    if (text !== "") return text;
    if (this.#tools.size > 0) {
      return [...this.#tools.values()].map((t) => `${t.name}(${t.args})`).join("\n");
    }
    return this.chunks > 0 ? "" : null;
  }
}

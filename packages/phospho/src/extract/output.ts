// What counts as "the output": a string as is; for an OpenAI completion, the first choice's content (or its
// tool calls when the content is null); for an Anthropic message, its text blocks.

import { contentToText, toolCallsToText } from "./content.js";
import type { ChatMessage, Extracted } from "./types.js";
import { normaliseUsage } from "./usage.js";

interface CompletionLike {
  choices?: unknown;
  content?: unknown;
  output_text?: unknown;
  model?: unknown;
  usage?: unknown;
}

function choiceText(choice: unknown): string | null | undefined {
  if (choice === null || typeof choice !== "object") return undefined;
  const c = choice as { message?: ChatMessage; text?: unknown; delta?: ChatMessage };
  const message = c.message ?? c.delta;
  if (message && typeof message === "object") {
    return contentToText(message.content) ?? toolCallsToText(message.tool_calls);
  }
  if (typeof c.text === "string") return c.text;
  return undefined;
}

/** Returns `undefined` when the value is not a shape this extractor knows. */
export function extractOutput(value: unknown): Extracted | undefined {
  if (typeof value === "string") return { text: value };
  if (value === null || typeof value !== "object") return undefined;
  const completion = value as CompletionLike;
  let text: string | null | undefined;
  if (Array.isArray(completion.choices)) {
    text = completion.choices.length > 0 ? choiceText(completion.choices[0]) : null;
  } else if (typeof completion.output_text === "string") {
    text = completion.output_text;
  } else if (Array.isArray(completion.content)) {
    text = contentToText(completion.content);
  }
  if (text === undefined) return undefined;
  const usage = completion.usage;
  return {
    text,
    model: typeof completion.model === "string" ? completion.model : undefined,
    usage: normaliseUsage(usage),
    rawUsage: usage !== null && typeof usage === "object" ? usage : undefined,
  };
}

// What counts as "the input" of a task: a string as is; for a chat query, the last user message.

import { contentToText } from "./content.js";
import type { ChatMessage, ChatQuery, Extracted } from "./types.js";

function systemPromptOf(query: ChatQuery, messages: ChatMessage[]): string | undefined {
  if (typeof query.system === "string") return query.system;
  const fromParts = contentToText(query.system);
  if (fromParts) return fromParts;
  if (typeof query.instructions === "string") return query.instructions;
  const system = messages.find((m) => m?.role === "system" || m?.role === "developer");
  return system ? (contentToText(system.content) ?? undefined) : undefined;
}

/** Returns `undefined` when the value is not a shape this extractor knows. */
export function extractInput(value: unknown): Extracted | undefined {
  if (typeof value === "string") return { text: value };
  if (value === null || typeof value !== "object") return undefined;
  const query = value as ChatQuery;
  const messageList = Array.isArray(query.messages)
    ? (query.messages as ChatMessage[])
    : Array.isArray(query.input)
      ? (query.input as ChatMessage[])
      : undefined;
  const model = typeof query.model === "string" ? query.model : undefined;
  let text: string | null | undefined;
  let systemPrompt: string | undefined;
  if (messageList) {
    // The last user message, else the last message.
    let last = messageList[messageList.length - 1];
    for (const m of messageList) if (m?.role === "user") last = m;
    text = last ? contentToText(last.content) : null;
    systemPrompt = systemPromptOf(query, messageList);
  } else if (typeof query.prompt === "string") {
    text = query.prompt;
  } else if (typeof query.input === "string") {
    text = query.input;
    if (typeof query.instructions === "string") systemPrompt = query.instructions;
  }
  return text === undefined ? undefined : { text, model, systemPrompt };
}

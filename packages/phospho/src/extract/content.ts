// Text out of a message `content`: a string, or an array of content parts (OpenAI and Anthropic).

import type { ContentPart, ToolCall } from "./types.js";

export function contentToText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  const pieces: string[] = [];
  for (const part of content as unknown[]) {
    if (typeof part === "string") {
      pieces.push(part);
      continue;
    }
    if (part === null || typeof part !== "object") continue;
    const p = part as ContentPart & { name?: unknown; input?: unknown };
    if (typeof p.text === "string") pieces.push(p.text);
    else if (p.type === "image_url" || p.type === "image" || p.type === "input_image") pieces.push("[image]");
    else if (p.type === "input_audio" || p.type === "audio") pieces.push("[audio]");
    else if (p.type === "file" || p.type === "document") pieces.push("[file]");
    else if (p.type === "tool_use" && typeof p.name === "string") {
      pieces.push(`${p.name}(${safeStringify(p.input)})`);
    }
  }
  return pieces.length > 0 ? pieces.join("\n") : null;
}

/** `name(arguments)` for each OpenAI tool call, one per line. */
export function toolCallsToText(toolCalls: unknown): string | null {
  if (!Array.isArray(toolCalls) || toolCalls.length === 0) return null;
  const lines: string[] = [];
  for (const call of toolCalls as ToolCall[]) {
    const fn = call?.function;
    if (fn && typeof fn.name === "string") {
      const args = typeof fn.arguments === "string" ? fn.arguments : safeStringify(fn.arguments);
      lines.push(`${fn.name}(${args})`);
    }
  }
  return lines.length > 0 ? lines.join("\n") : null;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}

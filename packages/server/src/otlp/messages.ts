/**
 * Message content in the shapes GenAI telemetry carries, turned into OpenAI-style chat messages (`ChatMessage`):
 * the current semantic conventions' `{role, parts}` JSON, OpenLLMetry's indexed `gen_ai.prompt.{i}.*`, the Vercel
 * AI SDK's messages, and the event bodies (`{content, tool_calls}`, `gen_ai.choice`'s `{message}`).
 */
import type { ChatMessage } from "../steps/index.js";

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Deepest nesting kept when a JSON string attribute is parsed; deeper text stays text. */
const MAX_JSON_DEPTH = 64;

/** True when `value` nests no deeper than `max` (checked without recursion: the value may be very deep). */
function within(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth >= max) return false;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return true;
}

/** A JSON string attribute as its value; a value that is not a string (or not JSON, or too deep) stays as it is. */
export function jsonValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (!(text.startsWith("{") || text.startsWith("["))) return value;
  try {
    const parsed = JSON.parse(text) as unknown;
    return within(parsed, MAX_JSON_DEPTH) ? parsed : value;
  } catch {
    return value;
  }
}

const argumentsText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value ?? {}));
const contentText = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === "string" ? value : JSON.stringify(value);

function toolCall(id: unknown, name: unknown, args: unknown): NonNullable<ChatMessage["tool_calls"]>[number] {
  return {
    id: typeof id === "string" ? id : null,
    type: "function",
    function: { name: typeof name === "string" ? name : "", arguments: argumentsText(args) },
  };
}

function message(role: string, content: string | null, extra: Partial<ChatMessage> = {}): ChatMessage {
  const out: ChatMessage = { role, content };
  if (extra.tool_calls && extra.tool_calls.length > 0) out.tool_calls = extra.tool_calls;
  if (extra.tool_call_id) out.tool_call_id = extra.tool_call_id;
  return out;
}

/** `[{role, parts: [{type: text|tool_call|tool_call_response|reasoning, ...}]}]` (semantic conventions 1.37+). */
export function fromPartsMessages(value: unknown): ChatMessage[] | null {
  const parsed = jsonValue(value);
  if (!Array.isArray(parsed)) return null;
  const out: ChatMessage[] = [];
  for (const item of parsed) {
    if (!isObj(item)) continue;
    const role = typeof item.role === "string" ? item.role : "user";
    if (!Array.isArray(item.parts)) {
      out.push(...fromChatMessages([item]));
      continue;
    }
    const texts: string[] = [];
    const calls: NonNullable<ChatMessage["tool_calls"]> = [];
    for (const part of item.parts) {
      if (!isObj(part)) continue;
      if (part.type === "tool_call") calls.push(toolCall(part.id, part.name, part.arguments));
      else if (part.type === "tool_call_response") {
        out.push(
          message("tool", contentText(part.response ?? part.result), { tool_call_id: String(part.id ?? "") }),
        );
      } else if (typeof part.content === "string") texts.push(part.content);
      else if (part.content !== undefined) texts.push(JSON.stringify(part.content));
    }
    if (texts.length > 0 || calls.length > 0) {
      out.push(message(role, texts.length > 0 ? texts.join("\n") : null, { tool_calls: calls }));
    }
  }
  return out.length > 0 ? out : null;
}

/** `[{type: "text", content}]` system instructions as one system message. */
export function fromSystemInstructions(value: unknown): ChatMessage | null {
  const parsed = jsonValue(value);
  if (typeof parsed === "string") return message("system", parsed);
  if (!Array.isArray(parsed)) return null;
  const texts = parsed
    .map((part) => (isObj(part) ? contentText(part.content) : contentText(part)))
    .filter(Boolean);
  return texts.length > 0 ? message("system", texts.join("\n")) : null;
}

/**
 * OpenAI-style or AI SDK-style messages: `content` a string or parts (`text`, `tool-call`/`tool_use`,
 * `tool-result`/`tool_result`), `tool_calls` with `function`.
 */
export function fromChatMessages(value: unknown): ChatMessage[] {
  const parsed = jsonValue(value);
  if (!Array.isArray(parsed)) return [];
  const out: ChatMessage[] = [];
  for (const item of parsed) {
    if (!isObj(item)) continue;
    const role = typeof item.role === "string" ? item.role : "user";
    const calls: NonNullable<ChatMessage["tool_calls"]> = [];
    for (const call of Array.isArray(item.tool_calls) ? item.tool_calls : []) {
      if (!isObj(call)) continue;
      const fn = isObj(call.function) ? call.function : call;
      calls.push(toolCall(call.id, fn.name, fn.arguments));
    }
    const texts: string[] = [];
    if (typeof item.content === "string") texts.push(item.content);
    else if (Array.isArray(item.content)) {
      for (const part of item.content) {
        if (!isObj(part)) continue;
        if (part.type === "tool-call" || part.type === "tool_use") {
          calls.push(
            toolCall(part.toolCallId ?? part.id, part.toolName ?? part.name, part.input ?? part.args),
          );
        } else if (part.type === "tool-result" || part.type === "tool_result") {
          const result = part.output ?? part.result ?? part.content;
          const unwrapped = isObj(result) && "value" in result ? result.value : result;
          out.push(
            message("tool", contentText(unwrapped), {
              tool_call_id: String(part.toolCallId ?? part.tool_use_id ?? ""),
            }),
          );
        } else if (typeof part.text === "string") texts.push(part.text);
      }
    } else if (item.content !== undefined && item.content !== null) texts.push(JSON.stringify(item.content));
    if (texts.length > 0 || calls.length > 0 || (role !== "tool" && !Array.isArray(item.content))) {
      const extra: Partial<ChatMessage> = { tool_calls: calls };
      if (typeof item.tool_call_id === "string") extra.tool_call_id = item.tool_call_id;
      out.push(message(role, texts.length > 0 ? texts.join("\n") : null, extra));
    }
  }
  return out;
}

/** OpenLLMetry's flattened `gen_ai.prompt.{i}.role/content/tool_calls.{j}.*` (or `gen_ai.completion.{i}.*`). */
export function fromIndexed(attributes: Obj, prefix: string, used: Set<string>): ChatMessage[] | null {
  const byIndex = new Map<number, Obj>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)\\.(.+)$`);
  for (const [key, value] of Object.entries(attributes)) {
    const match = pattern.exec(key);
    if (!match) continue;
    used.add(key);
    const entry = byIndex.get(Number(match[1])) ?? {};
    entry[match[2]!] = value;
    byIndex.set(Number(match[1]), entry);
  }
  if (byIndex.size === 0) return null;
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, entry]) => {
      const calls: NonNullable<ChatMessage["tool_calls"]> = [];
      for (let j = 0; entry[`tool_calls.${j}.name`] !== undefined; j += 1) {
        calls.push(
          toolCall(
            entry[`tool_calls.${j}.id`],
            entry[`tool_calls.${j}.name`],
            entry[`tool_calls.${j}.arguments`],
          ),
        );
      }
      const extra: Partial<ChatMessage> = { tool_calls: calls };
      if (typeof entry.tool_call_id === "string") extra.tool_call_id = entry.tool_call_id;
      return message(typeof entry.role === "string" ? entry.role : "user", contentText(entry.content), extra);
    });
}

/** The body of a `gen_ai.{system,user,assistant,tool}.message` event, or `gen_ai.choice`'s `{message}`. */
export function fromEventBody(eventName: string, body: unknown): ChatMessage | null {
  const value = jsonValue(body);
  const fields = isObj(value) ? value : { content: value };
  const source = eventName === "gen_ai.choice" && isObj(fields.message) ? fields.message : fields;
  const role =
    typeof source.role === "string"
      ? source.role
      : eventName === "gen_ai.choice"
        ? "assistant"
        : (/^gen_ai\.(\w+)\.message$/.exec(eventName)?.[1] ?? "user");
  const calls = fromChatMessages([{ role, tool_calls: source.tool_calls }])[0]?.tool_calls ?? [];
  const extra: Partial<ChatMessage> = { tool_calls: calls };
  if (typeof source.id === "string" && role === "tool") extra.tool_call_id = source.id;
  if (typeof source.tool_call_id === "string") extra.tool_call_id = source.tool_call_id;
  const content = contentText(source.content);
  return content === null && calls.length === 0 && role !== "assistant"
    ? null
    : message(role, content, extra);
}

/** The text of the messages of one role, joined (for the task's input and output columns). */
export function textOf(messages: ChatMessage[]): string {
  return messages
    .map(
      (m) =>
        m.content ?? m.tool_calls?.map((c) => `${c.function.name}(${c.function.arguments})`).join("\n") ?? "",
    )
    .filter((text) => text !== "")
    .join("\n");
}

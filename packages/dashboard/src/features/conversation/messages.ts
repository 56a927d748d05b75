/**
 * A task's whole conversation from its raw input and output, whatever shape they have: OpenAI chat
 * (`messages`, `choices`), OpenAI responses (`instructions`, `input`, `output` items), Anthropic (`system`,
 * `messages` with `tool_use` / `tool_result` blocks, `content`), and OTLP tasks (`{messages}` in OpenAI's shape).
 * Falls back to the system prompt, input and output columns when the raw objects say nothing readable.
 */
import type { Task } from "../../api/types";

export type Role = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  id: string | null;
  name: string;
  arguments: string;
}

export interface Message {
  role: Role;
  text: string | null;
  toolCalls: ToolCall[];
  /** For a tool result: the call it answers. */
  toolCallId: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const asText = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : typeof value === "string"
      ? value
      : JSON.stringify(value, null, 2);

function roleOf(value: unknown): Role {
  if (value === "system" || value === "developer") return "system";
  if (value === "assistant" || value === "model") return "assistant";
  if (value === "tool" || value === "function") return "tool";
  return "user";
}

function call(id: unknown, name: unknown, args: unknown): ToolCall {
  return {
    id: typeof id === "string" ? id : null,
    name: typeof name === "string" ? name : "tool",
    arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
  };
}

/** One provider message, possibly several of ours (Anthropic puts tool results inside a user message). */
function fromMessage(item: Obj): Message[] {
  const role = roleOf(item.role);
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  const results: Message[] = [];
  for (const c of Array.isArray(item.tool_calls) ? item.tool_calls : []) {
    if (!isObj(c)) continue;
    const fn = isObj(c.function) ? c.function : c;
    calls.push(call(c.id, fn.name, fn.arguments));
  }
  if (isObj(item.function_call))
    calls.push(call(null, item.function_call.name, item.function_call.arguments));
  const content = item.content;
  if (typeof content === "string") texts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === "string") texts.push(part);
      else if (!isObj(part)) continue;
      else if (part.type === "tool_use" || part.type === "tool-call") {
        calls.push(call(part.id ?? part.toolCallId, part.name ?? part.toolName, part.input ?? part.args));
      } else if (part.type === "tool_result" || part.type === "tool-result") {
        const inner = Array.isArray(part.content)
          ? part.content.map((p) => (isObj(p) && typeof p.text === "string" ? p.text : asText(p))).join("\n")
          : asText(part.content ?? part.output ?? part.result);
        results.push({
          role: "tool",
          text: inner,
          toolCalls: [],
          toolCallId: asText(part.tool_use_id ?? part.toolCallId),
        });
      } else if (typeof part.text === "string") texts.push(part.text);
      else if (part.type === "image_url" || part.type === "image" || part.type === "input_image")
        texts.push("[image]");
    }
  } else if (content !== undefined && content !== null) texts.push(asText(content) ?? "");
  const own: Message[] =
    texts.length > 0 || calls.length > 0 || results.length === 0
      ? [
          {
            role,
            text: texts.length > 0 ? texts.join("\n") : null,
            toolCalls: calls,
            toolCallId: typeof item.tool_call_id === "string" ? item.tool_call_id : null,
          },
        ]
      : [];
  return [...results, ...own];
}

/** OpenAI responses items: messages, `function_call` and `function_call_output`. */
function fromItems(items: unknown[]): Message[] {
  const out: Message[] = [];
  for (const item of items) {
    if (!isObj(item)) continue;
    if (item.type === "function_call") {
      out.push({
        role: "assistant",
        text: null,
        toolCalls: [call(item.call_id, item.name, item.arguments)],
        toolCallId: null,
      });
    } else if (item.type === "function_call_output") {
      out.push({ role: "tool", text: asText(item.output), toolCalls: [], toolCallId: asText(item.call_id) });
    } else if (item.role !== undefined || item.type === "message") out.push(...fromMessage(item));
  }
  return out;
}

function inputMessages(raw: unknown): Message[] {
  if (Array.isArray(raw)) return fromItems(raw);
  if (!isObj(raw)) return [];
  const out: Message[] = [];
  if (typeof raw.system === "string")
    out.push({ role: "system", text: raw.system, toolCalls: [], toolCallId: null });
  else if (Array.isArray(raw.system)) {
    const text = raw.system.map((p) => (isObj(p) && typeof p.text === "string" ? p.text : "")).join("\n");
    if (text) out.push({ role: "system", text, toolCalls: [], toolCallId: null });
  }
  if (typeof raw.instructions === "string")
    out.push({ role: "system", text: raw.instructions, toolCalls: [], toolCallId: null });
  if (Array.isArray(raw.messages)) out.push(...fromItems(raw.messages));
  if (typeof raw.input === "string")
    out.push({ role: "user", text: raw.input, toolCalls: [], toolCallId: null });
  else if (Array.isArray(raw.input)) out.push(...fromItems(raw.input));
  if (typeof raw.prompt === "string")
    out.push({ role: "user", text: raw.prompt, toolCalls: [], toolCallId: null });
  return out;
}

function outputMessages(raw: unknown): Message[] {
  if (!isObj(raw)) return [];
  if (Array.isArray(raw.choices)) {
    const first = raw.choices.find(isObj);
    if (first && isObj(first.message)) return fromMessage({ role: "assistant", ...first.message });
    if (first && typeof first.text === "string")
      return [{ role: "assistant", text: first.text, toolCalls: [], toolCallId: null }];
  }
  if (Array.isArray(raw.messages)) return fromItems(raw.messages);
  if (Array.isArray(raw.content)) return fromMessage({ role: "assistant", content: raw.content });
  if (Array.isArray(raw.output)) {
    const items = raw.output.flatMap((item): unknown[] =>
      isObj(item) && item.type === "message" && Array.isArray(item.content)
        ? [
            {
              role: "assistant",
              content: item.content.map((p) =>
                isObj(p) && p.type === "output_text" ? { type: "text", text: p.text } : p,
              ),
            },
          ]
        : [item],
    );
    return fromItems(items);
  }
  return [];
}

const readable = (messages: Message[]) => messages.some((m) => m.text || m.toolCalls.length > 0);

export function conversationOf(
  task: Pick<Task, "raw_input" | "raw_output" | "input" | "output" | "system_prompt">,
): Message[] {
  let input = inputMessages(task.raw_input);
  if (!readable(input)) input = [{ role: "user", text: task.input, toolCalls: [], toolCallId: null }];
  if (task.system_prompt && !input.some((m) => m.role === "system")) {
    input = [{ role: "system", text: task.system_prompt, toolCalls: [], toolCallId: null }, ...input];
  }
  let output = outputMessages(task.raw_output);
  if (!readable(output)) output = [{ role: "assistant", text: task.output, toolCalls: [], toolCallId: null }];
  return [...input, ...output];
}

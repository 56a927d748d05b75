/**
 * Attributes that every generation of GenAI telemetry reports under its own name, kept on the step under one name,
 * the current semantic conventions' (see "Normalized step attributes" in the collector's README): the provider,
 * the finish reasons, the response id, the request settings, the tool definitions and the called tool's name and id. The names they came under
 * are removed, so that a step holds each fact once, whichever emitter sent it.
 */
import type { Attributes } from "./attributes.js";
import { jsonValue } from "./messages.js";

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The Vercel AI SDK's `ai.settings.*` names and their `gen_ai.request.*` equivalents. */
const SETTINGS: Record<string, string> = {
  temperature: "temperature",
  maxOutputTokens: "max_tokens",
  maxTokens: "max_tokens",
  topP: "top_p",
  topK: "top_k",
  frequencyPenalty: "frequency_penalty",
  presencePenalty: "presence_penalty",
  stopSequences: "stop_sequences",
  seed: "seed",
};

const INDEXED_FINISH = /^gen_ai\.completion\.\d+\.finish_reason$/;
const FUNCTION_FIELD = /^llm\.request\.functions\.(\d+)\.(name|description|parameters)$/;

function texts(value: unknown): string[] | null {
  const parsed = jsonValue(value);
  const list = (Array.isArray(parsed) ? parsed : [parsed]).filter(
    (item): item is string => typeof item === "string" && item !== "",
  );
  return list.length > 0 ? list : null;
}

const text = (value: unknown) => (typeof value === "string" ? value : null);
const json = (value: unknown) => jsonValue(value) ?? null;

function provider(a: Attributes): string | null {
  return a.take(
    ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider"],
    (value, key) => {
      if (typeof value !== "string") return null;
      // The AI SDK names a provider with its API ("openai.chat", "anthropic.messages"): the part before the dot.
      return key === "ai.model.provider" ? value.split(".")[0]! : value;
    },
  );
}

function finishReasons(a: Attributes): string[] | null {
  const reasons = a.take(["gen_ai.response.finish_reasons", "ai.response.finishReason"], texts);
  if (reasons) return reasons;
  // OpenLLMetry: one per choice, beside its indexed content (those keys are the output's).
  const indexed = Object.entries(a.all)
    .filter(([key]) => INDEXED_FINISH.test(key))
    .flatMap(([, value]) => texts(value) ?? []);
  return indexed.length > 0 ? indexed : null;
}

/** One tool definition as `{type, name, description, parameters}`, from OpenAI's or the AI SDK's shape. */
function toolDefinition(value: unknown): Obj | null {
  const tool = jsonValue(value);
  if (!isObj(tool)) return null;
  const body = isObj(tool.function) ? tool.function : tool;
  const out: Obj = { type: typeof tool.type === "string" ? tool.type : "function" };
  if (typeof body.name === "string") out.name = body.name;
  if (typeof body.description === "string") out.description = body.description;
  const parameters = jsonValue(body.parameters ?? body.inputSchema ?? body.input_schema);
  if (parameters !== undefined) out.parameters = parameters;
  return out;
}

function toolDefinitions(a: Attributes): Obj[] | null {
  const listed = a.take(["gen_ai.tool.definitions", "ai.prompt.tools"], (value) => {
    const list = jsonValue(value);
    if (!Array.isArray(list)) return null;
    const tools = list.map(toolDefinition).filter((tool): tool is Obj => tool !== null);
    return tools.length > 0 ? tools : null;
  });
  if (listed) return listed;
  // OpenLLMetry: llm.request.functions.{i}.name / description / parameters.
  const byIndex = new Map<number, Obj>();
  for (const [key, value] of Object.entries(a.all)) {
    const match = FUNCTION_FIELD.exec(key);
    if (!match) continue;
    a.used.add(key);
    const entry = byIndex.get(Number(match[1])) ?? {};
    entry[match[2]!] = value;
    byIndex.set(Number(match[1]), entry);
  }
  const tools = [...byIndex.entries()]
    .sort(([x], [y]) => x - y)
    .map(([, entry]) => toolDefinition(entry))
    .filter((tool): tool is Obj => tool !== null);
  return tools.length > 0 ? tools : null;
}

/** `server.address` / `server.port`, or OpenLLMetry's API base URL when they are absent. */
function server(a: Attributes): Obj {
  if (a.all["server.address"] !== undefined) return {};
  return (
    a.take(["gen_ai.openai.api_base"], (value) => {
      if (typeof value !== "string" || !URL.canParse(value)) return null;
      const url = new URL(value);
      const out: Obj = { "server.address": url.hostname };
      if (url.port !== "") out["server.port"] = Number(url.port);
      return out;
    }) ?? {}
  );
}

export function normalizedAttributes(a: Attributes): Obj {
  const out: Obj = { ...server(a) };
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== "") out[key] = value;
  };
  set("gen_ai.provider.name", provider(a));
  set("gen_ai.response.finish_reasons", finishReasons(a));
  set("gen_ai.response.id", a.take(["gen_ai.response.id", "ai.response.id"], text));
  for (const [setting, name] of Object.entries(SETTINGS)) {
    const key = `gen_ai.request.${name}`;
    if (out[key] === undefined) set(key, a.take([key, `ai.settings.${setting}`], json));
  }
  set("gen_ai.request.tool_choice", a.take(["gen_ai.request.tool_choice", "ai.prompt.toolChoice"], json));
  set("gen_ai.tool.definitions", toolDefinitions(a));
  set("gen_ai.tool.name", a.take(["gen_ai.tool.name", "ai.toolCall.name"], text));
  set("gen_ai.tool.call.id", a.take(["gen_ai.tool.call.id", "ai.toolCall.id"], text));
  return out;
}

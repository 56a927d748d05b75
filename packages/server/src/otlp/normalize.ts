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

function texts(value: unknown): string[] {
  const parsed = jsonValue(value);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter((item): item is string => typeof item === "string" && item !== "");
}

function provider(a: Attributes): string | null {
  const named = a.take("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system");
  const vercel = a.take("ai.model.provider");
  if (typeof named === "string" && named !== "") return named;
  // The AI SDK names a provider with its API ("openai.chat", "anthropic.messages"): the part before the dot.
  if (typeof vercel === "string" && vercel !== "") return vercel.split(".")[0]!;
  return null;
}

function finishReasons(a: Attributes): string[] | null {
  const reasons = texts(a.take("gen_ai.response.finish_reasons", "ai.response.finishReason"));
  if (reasons.length === 0) {
    // OpenLLMetry: one per choice, beside its indexed content (those keys are the output's).
    for (const [key, value] of Object.entries(a.all))
      if (INDEXED_FINISH.test(key)) reasons.push(...texts(value));
  }
  return reasons.length > 0 ? reasons : null;
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
  const listed = jsonValue(a.take("gen_ai.tool.definitions", "ai.prompt.tools"));
  if (Array.isArray(listed)) {
    const tools = listed.map(toolDefinition).filter((tool): tool is Obj => tool !== null);
    return tools.length > 0 ? tools : null;
  }
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
  const out: Obj = {};
  const base = a.take("gen_ai.openai.api_base");
  if (a.all["server.address"] !== undefined || typeof base !== "string") return out;
  try {
    const url = new URL(base);
    out["server.address"] = url.hostname;
    if (url.port !== "") out["server.port"] = Number(url.port);
  } catch {
    out["gen_ai.openai.api_base"] = base;
  }
  return out;
}

export function normalizedAttributes(a: Attributes): Obj {
  const out: Obj = { ...server(a) };
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== "") out[key] = value;
  };
  set("gen_ai.provider.name", provider(a));
  set("gen_ai.response.finish_reasons", finishReasons(a));
  set("gen_ai.response.id", a.take("gen_ai.response.id", "ai.response.id"));
  for (const [setting, name] of Object.entries(SETTINGS)) {
    const key = `gen_ai.request.${name}`;
    const value = a.take(key, `ai.settings.${setting}`);
    if (out[key] === undefined) set(key, jsonValue(value));
  }
  set("gen_ai.request.tool_choice", jsonValue(a.take("gen_ai.request.tool_choice", "ai.prompt.toolChoice")));
  set("gen_ai.tool.definitions", toolDefinitions(a));
  set("gen_ai.tool.name", a.take("gen_ai.tool.name", "ai.toolCall.name"));
  set("gen_ai.tool.call.id", a.take("gen_ai.tool.call.id", "ai.toolCall.id"));
  return out;
}

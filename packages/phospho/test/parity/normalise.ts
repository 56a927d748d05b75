// Makes two runs comparable: ids that each SDK generates its own way become "<generated>", the per-run tag
// of the scripts' own ids and the collector's address are removed, times are left out, and token counts are read the same way from
// either a nested `usage` (phospho 1.3) or flat counts (ours), as the collector itself derives them.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const GENERATED =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?:task|session)_[0-9a-f]{32})$/;
const TOKEN_KEYS = ["usage", "prompt_tokens", "completion_tokens", "total_tokens"];

export function normalise(value: unknown, tag: string, baseUrl: string): Json {
  if (typeof value === "string") {
    if (GENERATED.test(value)) return "<generated>";
    if (value === baseUrl) return "<collector>";
    return value.split(`_${tag}`).join("");
  }
  if (Array.isArray(value)) return value.map((item) => normalise(item, tag, baseUrl));
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) out[key] = normalise(item, tag, baseUrl);
    return out;
  }
  return (value ?? null) as Json;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** What the collector stored for a task, as compared: its content, feedback, metadata and token counts. */
export function storedView(task: Record<string, unknown> | undefined): Json {
  if (!task) return null;
  const metadata = { ...record(task.metadata) };
  const usage = record(metadata.usage);
  const tokens = {
    prompt: metadata.prompt_tokens ?? usage.prompt_tokens ?? null,
    completion: metadata.completion_tokens ?? usage.completion_tokens ?? null,
    total: metadata.total_tokens ?? usage.total_tokens ?? null,
  };
  for (const key of TOKEN_KEYS) delete metadata[key];
  const view: Record<string, unknown> = {
    id: task.id,
    session_id: task.session_id,
    input: task.input,
    output: task.output,
    raw_input: task.additional_input,
    raw_output: task.additional_output,
    raw_input_type_name: task.raw_input_type_name,
    raw_output_type_name: task.raw_output_type_name,
    flag: task.flag,
    notes: task.notes,
    metadata,
    tokens,
  };
  return JSON.parse(JSON.stringify(view)) as Json;
}

/** The paths (`returned.input`, `stored.0.metadata.model`, …) where two values differ. */
export function diffPaths(a: Json | undefined, b: Json | undefined, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothObjects =
    a !== null &&
    b !== null &&
    typeof a === "object" &&
    typeof b === "object" &&
    Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [path || "(root)"];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of keys) {
    const left = (a as Record<string, Json>)[key];
    const right = (b as Record<string, Json>)[key];
    out.push(...diffPaths(left, right, path ? `${path}.${key}` : key));
  }
  return out;
}

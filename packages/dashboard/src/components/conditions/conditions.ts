/** The `f` URL parameter (`op:field=value`, see the server's queries/conditions.ts): building and reading one. */

export const FIELDS: Array<{ id: string; label: string; numeric?: boolean }> = [
  { id: "input", label: "Input" },
  { id: "output", label: "Output" },
  { id: "notes", label: "Notes" },
  { id: "model", label: "Model" },
  { id: "version_id", label: "Version" },
  { id: "user_id", label: "User" },
  { id: "environment", label: "Environment" },
  { id: "session_id", label: "Session" },
  { id: "flag_source", label: "Feedback source" },
  { id: "latency_ms", label: "Latency (ms)", numeric: true },
  { id: "total_tokens", label: "Tokens", numeric: true },
  { id: "cost_usd", label: "Cost (USD)", numeric: true },
];

export const TEXT_OPS: Array<[string, string]> = [
  ["contains", "contains"],
  ["not_contains", "does not contain"],
  ["eq", "is"],
  ["in", "is any of"],
  ["empty", "is empty"],
  ["not_empty", "is not empty"],
];
export const NUMBER_OPS: Array<[string, string]> = [
  ["gte", "≥"],
  ["lte", "≤"],
  ["empty", "is empty"],
  ["not_empty", "is not empty"],
];

export const needsValue = (op: string) => op !== "empty" && op !== "not_empty";

const escapeField = (field: string) => field.replace(/[\\=]/g, (c) => `\\${c}`);

/** `op:field=value`; `in` takes values separated by commas and sends them as a JSON array. */
export function encodeCondition(op: string, field: string, value: string): string {
  const v =
    op === "in"
      ? JSON.stringify(
          value
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        )
      : needsValue(op)
        ? value
        : "";
  return `${op}:${escapeField(field)}=${v}`;
}

export function describeCondition(text: string): string {
  const colon = text.indexOf(":");
  const op = text.slice(0, colon);
  let field = "";
  let i = colon + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") field += text[++i] ?? "";
    else if (c === "=") break;
    else field += c;
  }
  const value = text.slice(i + 1);
  const label = field.startsWith("meta.")
    ? field.slice(5)
    : (FIELDS.find((f) => f.id === field)?.label ?? field);
  const opLabel = [...TEXT_OPS, ...NUMBER_OPS].find(([id]) => id === op)?.[1] ?? op;
  let shown = value;
  if (op === "in") {
    try {
      shown = (JSON.parse(value) as string[]).join(", ");
    } catch {
      shown = value;
    }
  }
  return needsValue(op) ? `${label} ${opLabel} ${shown}` : `${label} ${opLabel}`;
}

/**
 * The limits on what one step keeps (documented in the collector's README). Content over a limit is kept as text,
 * cut at the limit and marked, so that a huge prompt never costs the step or the task.
 */
import { stripNul } from "../validate/sanitize.js";

/** Characters of JSON text kept for a step's input, and again for its output. */
export const STEP_CONTENT_LIMIT = 32_768;
/** Characters kept of one attribute's string value. */
export const STEP_ATTRIBUTE_VALUE_LIMIT = 4_096;
/** Characters of JSON text kept for all of a step's attributes together; attributes past it are dropped. */
export const STEP_ATTRIBUTES_LIMIT = 65_536;
/** Characters kept of an error message or a step name. */
export const STEP_TEXT_LIMIT = 2_048;

export function cutText(text: string, limit: number): string {
  const clean = stripNul(text);
  return clean.length <= limit
    ? clean
    : `${clean.slice(0, limit)}… [truncated: ${clean.length - limit} more characters]`;
}

/** JSON text of a value, cut at `limit` (the cut text is no longer JSON; readers show it as text). */
export function contentJson(value: unknown, limit = STEP_CONTENT_LIMIT): string | null {
  if (value === undefined || value === null) return null;
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    // Callers bound nesting before; this keeps any value that still cannot be written from costing its batch.
    return JSON.stringify("[content not kept: it could not be written as JSON]");
  }
  const text = stripNul(json);
  return text.length <= limit ? text : JSON.stringify(cutText(text, limit));
}

function cutValue(value: unknown): unknown {
  if (typeof value === "string") return cutText(value, STEP_ATTRIBUTE_VALUE_LIMIT);
  if (Array.isArray(value)) return value.map(cutValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [stripNul(key), cutValue(item)]));
  }
  return value;
}

/** Attributes with long strings cut; the ones that would pass the total limit are dropped and counted. */
export function attributesJson(attributes: Record<string, unknown>): string {
  const kept: Array<[string, unknown]> = [];
  let size = 2;
  let dropped = 0;
  for (const [key, value] of Object.entries(attributes)) {
    const cut = cutValue(value);
    const cost = JSON.stringify(key).length + JSON.stringify(cut ?? null).length + 2;
    if (size + cost > STEP_ATTRIBUTES_LIMIT) {
      dropped += 1;
      continue;
    }
    kept.push([stripNul(key), cut]);
    size += cost;
  }
  if (dropped > 0) kept.push(["phospho.dropped_attributes", dropped]);
  // fromEntries: a `__proto__` attribute stays an attribute.
  return JSON.stringify(Object.fromEntries(kept));
}

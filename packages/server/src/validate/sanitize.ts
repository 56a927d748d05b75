/**
 * Makes one decoded JSON value safe to store: bounded nesting, and no NUL characters. PostgreSQL TEXT and JSONB
 * cannot hold U+0000, so NULs are REMOVED from every string and object key, on both engines alike. Lone UTF-16
 * surrogates (valid in JSON escapes, invalid in UTF-8) become U+FFFD, so both engines store the same text.
 */
export class SanitizeError extends Error {
  override readonly name = "SanitizeError";
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

const NUL = new RegExp(String.fromCharCode(0), "g");

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripNul(text: string): string {
  const withoutNul = text.includes("\u0000") ? text.replace(NUL, "") : text;
  return withoutNul.replace(LONE_SURROGATE, "\uFFFD");
}

/** A copy of `value` without NULs; throws SanitizeError past `maxDepth` levels (recursion is bounded by it). */
export function sanitize(value: unknown, maxDepth: number, field: string, depth = 0): unknown {
  if (typeof value === "string") return stripNul(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= maxDepth) throw new SanitizeError(field, `nested deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) return value.map((item) => sanitize(item, maxDepth, field, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[stripNul(key)] = sanitize(item, maxDepth, depth === 0 ? key : field, depth + 1);
  }
  return out;
}

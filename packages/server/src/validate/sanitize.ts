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

/** A NUL or any surrogate: most texts have neither, and one scan for both skips the two replacements. */
const SUSPECT = new RegExp(`[${String.fromCharCode(0)}\\uD800-\\uDFFF]`);

export function stripNul(text: string): string {
  if (!SUSPECT.test(text)) return text;
  const withoutNul = text.includes("\u0000") ? text.replace(NUL, "") : text;
  return withoutNul.replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * `value` without NULs; throws SanitizeError past `maxDepth` levels (recursion is bounded by it). Copy on write:
 * a value with nothing to change comes back as the same value (the common case), and a changed one as a copy, so
 * the input is never modified.
 */
export function sanitize(value: unknown, maxDepth: number, field: string, depth = 0): unknown {
  if (typeof value === "string") return stripNul(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= maxDepth) throw new SanitizeError(field, `nested deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const clean = sanitize(item, maxDepth, field, depth + 1);
      if (clean !== item && copy === null) copy = value.slice(0, index);
      if (copy !== null) copy.push(clean);
    }
    return copy ?? value;
  }
  const entries = Object.entries(value);
  let out: Record<string, unknown> | null = null;
  for (let index = 0; index < entries.length; index += 1) {
    const [key, item] = entries[index]!;
    const cleanKey = stripNul(key);
    const clean = sanitize(item, maxDepth, depth === 0 ? key : field, depth + 1);
    if (out === null && (cleanKey !== key || clean !== item)) {
      out = {};
      for (let before = 0; before < index; before += 1) out[entries[before]![0]] = entries[before]![1];
    }
    if (out !== null) out[cleanKey] = clean;
  }
  return out ?? value;
}

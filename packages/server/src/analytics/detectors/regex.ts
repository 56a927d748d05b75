/**
 * Regex detector, on RE2 (`re2js`): matching time is linear in the text whatever the pattern, so a pattern such
 * as `(a+)+$` cannot hang the collector. RE2 has no backreferences nor lookaround; such a pattern is refused when
 * the definition is saved, with RE2's message.
 */
import { RE2JS } from "re2js";

export class PatternError extends Error {
  override readonly name = "PatternError";
}

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 2_000;

export function compileRegex(pattern: string, caseInsensitive = true): (text: string) => string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new PatternError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new PatternError(`not a valid RE2 pattern: ${(error as Error).message}`);
  }
  return (text) => {
    const matcher = compiled.matcher(text);
    return matcher.find() ? matcher.group() : null;
  };
}

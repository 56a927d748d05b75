/**
 * Keyword detector: any of the keywords as a whole word, case-insensitive, in any script. A keyword edge that is
 * a letter or digit must not touch another letter or digit, except in scripts written without spaces (Han, kana,
 * Thai), where a keyword is found anywhere. Keywords are escaped literals, so the pattern cannot backtrack badly.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{N}_]/u;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function bounded(keyword: string): string {
  const first = keyword[0] ?? "";
  const last = [...keyword].at(-1) ?? "";
  const before = WORD.test(first) && !UNSPACED.test(first) ? "(?<![\\p{L}\\p{N}_])" : "";
  const after = WORD.test(last) && !UNSPACED.test(last) ? "(?![\\p{L}\\p{N}_])" : "";
  return `${before}${escape(keyword)}${after}`;
}

/** A matcher for the keywords; returns the first keyword found (as written in the definition), or null. */
export function compileKeywords(keywords: string[]): (text: string) => string | null {
  const cleaned = keywords.map((keyword) => keyword.trim()).filter((keyword) => keyword !== "");
  if (cleaned.length === 0) return () => null;
  const pattern = new RegExp(cleaned.map(bounded).join("|"), "iu");
  const byLower = new Map(cleaned.map((keyword) => [keyword.toLowerCase(), keyword]));
  return (text) => {
    const match = pattern.exec(text);
    if (!match) return null;
    return byLower.get(match[0].toLowerCase()) ?? match[0];
  };
}

/**
 * A depth bound on raw JSON text, applied before `JSON.parse` builds anything. Ten megabytes of `[` would otherwise
 * become millions of nested arrays (seconds of CPU, a gigabyte of memory) before any rule could refuse them. One
 * pass over the characters finds every value that opens deeper than the bound; each is replaced by `0`, so the
 * parser never builds it. What remains still nests past the per-event bound (64) on the way down, so validation
 * names the field and refuses that event alone, and the rest of the batch is stored.
 */
const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** The index of the quote that closes the string opened at `open`, or -1 when the text ends inside it. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

/** `text` with every value opening deeper than `maxDepth` levels replaced by `0`; the same string when none does. */
export function cutDeeperThan(text: string, maxDepth: number): string {
  let depth = 0;
  let inString = false;
  let cutFrom = -1;
  let kept = 0;
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (code === QUOTE) {
      // Most of a body is string content: jump to the string's closing quote with a native search (a quote
      // preceded by an odd run of backslashes is escaped), rather than looking at each character here.
      const end = closingQuote(text, index);
      if (end < 0) {
        inString = true;
        index = text.length;
        continue;
      }
      index = end;
      continue;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth += 1;
      if (depth === maxDepth + 1 && cutFrom < 0) cutFrom = index;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      if (depth === maxDepth + 1 && cutFrom >= 0) {
        pieces.push(text.slice(kept, cutFrom), "0");
        kept = index + 1;
        cutFrom = -1;
      }
      depth -= 1;
    }
  }
  if (pieces.length === 0 && cutFrom < 0) return text;
  // An unbalanced tail (invalid JSON) is cut as well: the parser then refuses what is left, cheaply.
  pieces.push(cutFrom >= 0 ? `${text.slice(kept, cutFrom)}0` : text.slice(kept));
  return pieces.join("");
}

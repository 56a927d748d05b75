// Cuts a text to a maximum length, leaving a marker so a reader sees that the text was cut.

import { TRUNCATION_MARKER } from "./json-safe.js";

export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return text.slice(0, maxChars) + TRUNCATION_MARKER;
}

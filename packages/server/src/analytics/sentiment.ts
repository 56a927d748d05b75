// The dashboard's type check reaches this file through its tests; the reference brings the declaration along.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./vendor.d.ts" />
/**
 * Sentiment of a text, offline, with `wink-sentiment` (AFINN lexicon with negation, emojis and emoticons). Chosen
 * over `vader-sentiment` and `sentiment`: the same answers on the fixture in test/analytics, ten times faster.
 * English lexicon: other languages mostly score neutral.
 */
import wink from "wink-sentiment";

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface Sentiment {
  /** In [-1, 1]: wink's normalised score (in [-5, 5]) divided by 5. */
  score: number;
  label: SentimentLabel;
}

/** |score| under this is neutral (wink's normalised 0.5). */
export const NEUTRAL_BAND = 0.1;
const MAX_CHARS = 5_000;

export function scoreSentiment(text: string): Sentiment {
  const raw = wink(text.slice(0, MAX_CHARS)).normalizedScore;
  const score = Math.max(-1, Math.min(1, Number.isFinite(raw) ? raw / 5 : 0));
  const label = score >= NEUTRAL_BAND ? "positive" : score <= -NEUTRAL_BAND ? "negative" : "neutral";
  return { score, label };
}

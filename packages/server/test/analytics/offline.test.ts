/**
 * The offline detectors on a multilingual fixture with known answers: language (eld, the one used, against franc
 * and tinyld), sentiment (wink-sentiment, the one used, against vader-sentiment and sentiment), keywords in
 * several scripts, RE2 regexes, and a regex built to backtrack catastrophically.
 */
import { readFileSync } from "node:fs";
import { franc } from "franc";
import SentimentLib from "sentiment";
import * as tinyld from "tinyld";
import vader from "vader-sentiment";
import { describe, expect, it } from "vitest";
import {
  compileKeywords,
  compileRegex,
  detectLanguage,
  PatternError,
  scoreSentiment,
} from "../../src/analytics/index.js";
import { compileOffline } from "../../src/analytics/detectors/index.js";

interface Sample {
  text: string;
  language: string;
  sentiment: "positive" | "neutral" | "negative" | null;
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/multilingual.json", import.meta.url), "utf8"),
) as Sample[];
const english = fixture.filter((sample) => sample.sentiment !== null);

const ISO3: Record<string, string> = {
  eng: "en",
  fra: "fr",
  spa: "es",
  deu: "de",
  ita: "it",
  por: "pt",
  nld: "nl",
  rus: "ru",
  jpn: "ja",
  cmn: "zh",
  arb: "ar",
  pol: "pl",
  tur: "tr",
};

function accuracy<T>(samples: T[], right: (sample: T) => boolean): number {
  return samples.filter(right).length / samples.length;
}

function label(score: number, band: number): string {
  return score >= band ? "positive" : score <= -band ? "negative" : "neutral";
}

describe("language", () => {
  it("finds the language of every input of the fixture (13 languages, 6 scripts)", () => {
    const wrong = fixture.filter((sample) => detectLanguage(sample.text) !== sample.language);
    expect(wrong).toEqual([]);
  });

  it("is at least as accurate as the other candidates (accuracies printed for the report)", () => {
    const eld = accuracy(fixture, (s) => detectLanguage(s.text) === s.language);
    const francScore = accuracy(fixture, (s) => (ISO3[franc(s.text)] ?? franc(s.text)) === s.language);
    const tinyldScore = accuracy(fixture, (s) => tinyld.detect(s.text) === s.language);
    console.log(
      `language accuracy on ${fixture.length} samples: eld ${eld}, franc ${francScore}, tinyld ${tinyldScore}`,
    );
    expect(eld).toBeGreaterThanOrEqual(Math.max(francScore, tinyldScore));
  });

  it("says nothing for a text too short to tell", () => {
    expect(detectLanguage("ok")).toBeNull();
    expect(detectLanguage("   ")).toBeNull();
  });
});

describe("sentiment", () => {
  it("labels the English inputs of the fixture (8 of 10 or better; polite requests read slightly positive)", () => {
    const right = accuracy(english, (s) => scoreSentiment(s.text).label === s.sentiment);
    const lexicon = new SentimentLib();
    const vaderScore = accuracy(
      english,
      (s) => label(vader.SentimentIntensityAnalyzer.polarity_scores(s.text).compound, 0.05) === s.sentiment,
    );
    const afinn = accuracy(english, (s) => label(lexicon.analyze(s.text).comparative, 0.05) === s.sentiment);
    console.log(
      `sentiment accuracy on ${english.length} samples: wink ${right}, vader ${vaderScore}, sentiment ${afinn}`,
    );
    expect(right).toBeGreaterThanOrEqual(0.8);
    expect(right).toBeGreaterThanOrEqual(Math.max(vaderScore, afinn));
  });

  it("keeps scores in [-1, 1] and reads negation", () => {
    const good = scoreSentiment("This is good");
    const notGood = scoreSentiment("This is not good");
    expect(good.score).toBeGreaterThan(0);
    expect(notGood.score).toBeLessThan(good.score);
    for (const sample of fixture) {
      const { score } = scoreSentiment(sample.text);
      expect(score).toBeGreaterThanOrEqual(-1);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});

describe("keywords", () => {
  const human = compileKeywords(["human", "Mitarbeiter", "оператор", "人工", "humain"]);

  it("finds whole words, case-insensitively, in several scripts", () => {
    const found = fixture.filter((sample) => human(sample.text) !== null).map((sample) => sample.language);
    expect(found.sort()).toEqual(["de", "en", "fr", "zh"]);
    expect(human("HUMAN please")).toBe("human");
  });

  it("does not match inside a longer word", () => {
    expect(human("humanity and inhuman things")).toBeNull();
    expect(human("операторы")).toBeNull();
  });

  it("treats keyword text literally", () => {
    const literal = compileKeywords(["a.b", "(x)"]);
    expect(literal("see a.b here")).toBe("a.b");
    expect(literal("see axb here")).toBeNull();
  });
});

describe("regex (RE2)", () => {
  it("finds matches case-insensitively by default", () => {
    const refund = compileRegex("\\brefund(s|ed)?\\b");
    expect(refund("The REFUND never arrived")).toBe("REFUND");
    expect(refund("refundable")).toBeNull();
  });

  it("runs a pattern that backtracks catastrophically in other engines over a long text, in linear time", () => {
    // With a backtracking engine, (a+)+$ over 30 'a's then '!' takes 2^30 steps; at 100,000 it never ends.
    const evil = compileRegex("(a+)+$");
    const text = `${"a".repeat(100_000)}!`;
    expect(evil(text)).toBeNull();
    expect(compileRegex("(x+x+)+y")(`${"x".repeat(50_000)}`)).toBeNull();
  });

  it("refuses what RE2 cannot run, with its reason", () => {
    expect(() => compileRegex("(a)\\1")).toThrow(PatternError);
    expect(() => compileRegex("(?<=a)b")).toThrow(/not a valid RE2 pattern/);
  });

  it("is what a regex definition runs", () => {
    const detect = compileOffline({ detector: "regex", config: JSON.stringify({ pattern: "wrong answer" }) });
    expect(detect?.(fixture[3]!.text)).toEqual({
      present: true,
      label: "wrong answer",
      score: null,
      confidence: 1,
    });
    expect(detect?.(fixture[0]!.text)).toBeNull();
  });
});

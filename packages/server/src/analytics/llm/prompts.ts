/**
 * Prompts of the LLM detectors and the parsing of their one-word / one-number answers. The confidence of an
 * answer is its probability among the valid answers in the first token's `top_logprobs`; 1 without logprobs.
 */
import { JobError } from "../../jobs/index.js";
import type { DetectorConfig, Finding } from "../types.js";
import type { ChatMessage, TopLogprob } from "./client.js";

/** Longest text put in a prompt, in characters (the start and the end are kept). */
const MAX_TEXT = 8_000;

export interface Example {
  text: string;
  answer: string;
}

function clip(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  return `${text.slice(0, MAX_TEXT / 2)}\n[…]\n${text.slice(-MAX_TEXT / 2)}`;
}

export function answerFormat(detector: string, config: DetectorConfig): string {
  if (detector === "llm_scorer") return "Answer with one number from 1 to 5, nothing else.";
  if (detector === "llm_classifier") {
    return `Answer with exactly one of these words, nothing else: ${(config.categories ?? []).join(", ")}, none.`;
  }
  return "Answer with one word, yes or no, nothing else.";
}

export function buildMessages(
  detector: string,
  question: string,
  config: DetectorConfig,
  text: string,
  examples: Example[],
): ChatMessage[] {
  const format = answerFormat(detector, config);
  const messages: ChatMessage[] = [
    {
      role: "system",
      content: `You label texts from a conversation between a user and an AI assistant.\nQuestion: ${question}\n${format}`,
    },
  ];
  for (const example of examples) {
    messages.push({ role: "user", content: `Text:\n"""\n${clip(example.text)}\n"""` });
    messages.push({ role: "assistant", content: example.answer });
  }
  messages.push({ role: "user", content: `Text:\n"""\n${clip(text)}\n"""` });
  return messages;
}

/** The valid answer a token or text stands for, or null. */
export function normalise(detector: string, config: DetectorConfig, text: string): string | null {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/^["'`*\s]+|["'`*.!\s]+$/g, "");
  if (detector === "llm_scorer") {
    const digit = /^[1-5]/.exec(word);
    return digit ? digit[0] : null;
  }
  if (detector === "llm_classifier") {
    if (word === "") return null;
    const categories = [...(config.categories ?? []), "none"];
    const exact = categories.find((category) => category.toLowerCase() === word);
    if (exact) return exact;
    const prefix = categories.filter((category) => category.toLowerCase().startsWith(word));
    return prefix.length === 1 ? prefix[0]! : null;
  }
  if (word.startsWith("yes")) return "yes";
  if (word.startsWith("no")) return "no";
  return null;
}

function confidence(
  detector: string,
  config: DetectorConfig,
  answer: string,
  top: TopLogprob[] | null,
): number {
  if (!top) return 1;
  const mass = new Map<string, number>();
  for (const { token, logprob } of top) {
    const valid = normalise(detector, config, token);
    if (valid === null || !Number.isFinite(logprob)) continue;
    // A first token may be a prefix of several categories; it counts for the one the answer names, if it fits.
    const key =
      answer.toLowerCase().startsWith(token.trim().toLowerCase()) && token.trim() !== "" ? answer : valid;
    mass.set(key, (mass.get(key) ?? 0) + Math.exp(logprob));
  }
  const total = [...mass.values()].reduce((sum, p) => sum + p, 0);
  const mine = mass.get(answer) ?? 0;
  return total > 0 ? Math.round((mine / total) * 1000) / 1000 : 1;
}

export function parseAnswer(
  detector: string,
  config: DetectorConfig,
  text: string,
  top: TopLogprob[] | null,
): Finding {
  const answer = normalise(detector, config, text);
  if (answer === null) {
    throw new JobError(
      `the model answered "${text.slice(0, 50)}", not ${answerFormat(detector, config)}`,
      true,
    );
  }
  const sure = confidence(detector, config, answer, top);
  if (detector === "llm_scorer")
    return { present: true, label: null, score: Number(answer), confidence: sure };
  if (detector === "llm_classifier") {
    return answer === "none"
      ? { present: false, label: null, score: null, confidence: sure }
      : { present: true, label: answer, score: null, confidence: sure };
  }
  return { present: answer === "yes", label: null, score: null, confidence: sure };
}

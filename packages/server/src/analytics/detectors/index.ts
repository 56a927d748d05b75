/** Offline detectors compiled once per definition version, then run on many tasks. */
import type { DefinitionRow, DetectorConfig, Finding, Scope, TaskText } from "../types.js";
import { compileKeywords } from "./keywords.js";
import { compileRegex } from "./regex.js";

export { compileKeywords } from "./keywords.js";
export { compileRegex, PatternError, MAX_PATTERN_LENGTH } from "./regex.js";

export type OfflineDetector = (text: string) => Finding | null;

export function parseConfig(text: string): DetectorConfig {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as DetectorConfig) : {};
  } catch {
    return {};
  }
}

/** The matcher of an offline definition; null for an LLM detector. */
export function compileOffline(
  definition: Pick<DefinitionRow, "detector" | "config">,
): OfflineDetector | null {
  const config = parseConfig(definition.config);
  let find: ((text: string) => string | null) | null = null;
  if (definition.detector === "keywords") find = compileKeywords(config.keywords ?? []);
  if (definition.detector === "regex")
    find = compileRegex(config.pattern ?? "", config.caseInsensitive ?? true);
  if (!find) return null;
  const matcher = find;
  return (text) => {
    const match = matcher(text);
    return match === null ? null : { present: true, label: match, score: null, confidence: 1 };
  };
}

/** The text a task scope reads. `session` scope reads the input and output of every task (joined by the caller). */
export function scopeText(scope: Scope | string, task: TaskText): string {
  switch (scope) {
    case "input":
      return task.input;
    case "output":
      return task.output ?? "";
    case "system_prompt":
      return task.system_prompt ?? "";
    default:
      return `${task.input}\n${task.output ?? ""}`;
  }
}

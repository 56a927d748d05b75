/** The shapes analytics passes between its parts. */
import type { Selectable } from "kysely";
import type { DetectionsTable, EventDefinitionsTable } from "../store/schema.js";

export const SCOPES = ["input", "output", "both", "system_prompt", "session"] as const;
export type Scope = (typeof SCOPES)[number];

export const DETECTORS = ["keywords", "regex", "llm_tagger", "llm_scorer", "llm_classifier"] as const;
export type DetectorKind = (typeof DETECTORS)[number];

export const OFFLINE_DETECTORS: readonly DetectorKind[] = ["keywords", "regex"];

export function needsModel(detector: string): boolean {
  return detector.startsWith("llm_");
}

/** The detector settings, as stored in `config` (JSON). */
export interface DetectorConfig {
  /** keywords: matched whole-word, case-insensitive. */
  keywords?: string[] | undefined;
  /** regex: RE2 syntax, run in linear time. */
  pattern?: string | undefined;
  caseInsensitive?: boolean | undefined;
  /** llm_classifier: the categories the answer must be one of. */
  categories?: string[] | undefined;
  /** llm_*: what to ask about the text; default: the definition's description. */
  prompt?: string | undefined;
}

export type DefinitionRow = Selectable<EventDefinitionsTable>;
export type DetectionRow = Selectable<DetectionsTable>;

/** What a detector found on one text. */
export interface Finding {
  present: boolean;
  label: string | null;
  score: number | null;
  confidence: number;
}

/** The text of a task a scope reads. */
export interface TaskText {
  input: string;
  output: string | null;
  system_prompt: string | null;
}

/** Ready definitions a team adds with one click; each says whether it needs the model endpoint. */
import type { DefinitionInput } from "./definitions.js";

export interface Template {
  id: string;
  needs_model: boolean;
  definition: DefinitionInput;
}

function template(id: string, definition: DefinitionInput): Template {
  return { id, needs_model: definition.detector.startsWith("llm_"), definition };
}

export const TEMPLATES: readonly Template[] = [
  template("human_requested", {
    name: "Human requested",
    description: "The user asks to talk to a human, an agent or a person.",
    scope: "input",
    detector: "regex",
    config: {
      pattern:
        "\\b(talk|speak|chat)\\s+(to|with)\\s+(a\\s+|an\\s+)?(human|person|agent|representative|someone real)\\b|\\b(human|real)\\s+(agent|person|support)\\b",
      caseInsensitive: true,
    },
  }),
  template("frustrated_user", {
    name: "Frustrated user",
    description: "The user is frustrated, annoyed or angry with the assistant.",
    scope: "input",
    detector: "llm_tagger",
    config: {},
  }),
  template("assistant_refuses", {
    name: "Assistant refuses",
    description: "The assistant refuses or says it cannot help.",
    scope: "output",
    detector: "keywords",
    config: {
      keywords: [
        "I can't help with",
        "I cannot help with",
        "I'm unable to",
        "I am unable to",
        "I can't assist",
        "I cannot assist",
        "I'm not able to",
        "I won't be able to",
      ],
    },
  }),
  template("verbose_answer", {
    name: "Verbose answer",
    description:
      "How verbose the assistant's answer is, from 1 (concise) to 5 (far too long for the question).",
    scope: "output",
    detector: "llm_scorer",
    config: {},
  }),
  template("issue_resolved", {
    name: "Issue resolved",
    description: "By the end of the conversation, the user's issue is resolved.",
    scope: "session",
    detector: "llm_tagger",
    config: {},
  }),
  template("user_intent", {
    name: "User intent",
    description: "What the user wants from this message.",
    scope: "input",
    detector: "llm_classifier",
    config: { categories: ["question", "task", "complaint", "feedback", "other"] },
  }),
];

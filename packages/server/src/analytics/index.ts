/**
 * Analytics, offline first: event definitions and their detectors (keywords, RE2 regex, LLM tagger / scorer /
 * classifier), language and sentiment of every input, back-fills, the model endpoint, and the reads the
 * dashboard shows (detections, reviews, metrics, A/B statistics).
 */
export { createAnalyticsRunner, type AnalyticsOptions } from "./start.js";
export { detectLanguage } from "./language.js";
export { scoreSentiment, type Sentiment, type SentimentLabel } from "./sentiment.js";
export {
  checkDefinitionWebhook,
  createDefinition,
  definitionInput,
  definitionPatch,
  DefinitionError,
  deleteDefinition,
  getDefinition,
  listDefinitions,
  publicDefinition,
  updateDefinition,
} from "./definitions.js";
export { TEMPLATES, type Template } from "./templates.js";
export { createBackfill, type BackfillFilters } from "./backfill.js";
export {
  deleteEndpoint,
  endpointFromEnv,
  loadEndpoint,
  publicEndpoint,
  saveEndpoint,
  type ModelEndpoint,
} from "./endpoint.js";
export { sessionTaskId } from "./analyze.js";
export { truth, type ReviewedDetection } from "./review.js";
export { compileKeywords, compileRegex, PatternError } from "./detectors/index.js";
export { judgeAgreement, JUDGE_SOURCE, loadJudge, saveJudge, type JudgeSettings } from "./judge.js";
export { DEFAULT_WEBHOOK_POLICY, webhookPolicyFromEnv, type WebhookPolicy } from "./webhook-url.js";

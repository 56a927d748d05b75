/**
 * Deterministic, realistic-looking texts for the seeded tasks: a customer-support assistant's questions and
 * answers over a few dozen topics, so that full-text search has common and rare terms to find.
 */

/** Small fast PRNG (mulberry32), seeded, so every run seeds the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TOPICS = [
  "refund policy",
  "shipping delay",
  "password reset",
  "invoice copy",
  "pricing plan",
  "API rate limit",
  "data export",
  "account deletion",
  "two-factor login",
  "webhook retries",
  "team invitation",
  "billing address",
  "SSO configuration",
  "mobile app crash",
  "dark mode",
  "CSV import",
  "usage quota",
  "trial extension",
  "GDPR request",
  "latency spike",
  "model upgrade",
  "prompt template",
  "embedding search",
  "fine-tuning job",
  "token limit",
  "streaming response",
  "function calling",
  "vision input",
  "audio transcription",
  "batch processing",
  "cache invalidation",
  "timezone settings",
  "language support",
  "accessibility",
  "keyboard shortcuts",
  "notification email",
  "audit log",
  "role permissions",
  "custom domain",
  "status page",
] as const;

const OPENERS = [
  "Hi, I have a question about",
  "Can you help me with",
  "I'm confused by the",
  "What is the process for",
  "Our team keeps running into a problem with",
  "Quick one about",
  "Is there documentation on",
  "Something seems broken with",
];
const DETAILS = [
  "since yesterday afternoon",
  "for our production workspace",
  "after the last update",
  "when I use the Python client",
  "on the enterprise plan",
  "for a customer in Germany",
  "every time we deploy",
  "only in the staging environment",
  "with more than ten thousand rows",
  "for the second time this week",
];
const ANSWERS = [
  "Thanks for reaching out. Here is what you can do:",
  "Good question. The short answer is yes, with one caveat:",
  "I checked your account and found the cause:",
  "This is a known behaviour, and there is a workaround:",
  "Sorry for the trouble. Please try the following steps:",
];
const STEPS = [
  "open the settings page and select the workspace",
  "regenerate the key and update your environment variables",
  "wait a few minutes for the change to propagate",
  "contact billing with the invoice number",
  "enable the feature flag in the admin console",
  "split the request into smaller batches",
  "retry with exponential backoff",
  "check the audit log for the exact time",
  "upgrade the client library to the latest version",
  "clear the browser cache and sign in again",
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export function question(r: () => number, topic: string): string {
  return `${pick(r, OPENERS)} the ${topic} ${pick(r, DETAILS)}? We need this sorted before Friday.`;
}

export function answer(r: () => number, topic: string): string {
  const steps = 2 + Math.floor(r() * 3);
  const parts = [`${pick(r, ANSWERS)} regarding the ${topic},`];
  for (let i = 0; i < steps; i++) parts.push(`${i + 1}. ${pick(r, STEPS)};`);
  parts.push("let me know if anything is still unclear.");
  return parts.join(" ");
}

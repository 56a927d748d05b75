// `phospho/openai`: one line to log every call of an `openai` client.
//
//   import OpenAI from "openai";
//   import { wrapOpenAI, withPhospho } from "phospho/openai";
//   const openai = wrapOpenAI(new OpenAI(), { sessionId });
//
// `openai` is not imported: the client is duck-typed, so it stays an optional peer of this package.

import type { CaptureOptions } from "../shared/options.js";
import { patchClones, patchMethod } from "../shared/patch.js";
import { chatAdapter } from "./chat.js";
import { responsesAdapter } from "./responses.js";

export { withPhospho, type CallOptions, type CaptureOptions, type PhosphoLike } from "../shared/options.js";

interface OpenAILike {
  chat?: { completions?: unknown };
  responses?: unknown;
}

/**
 * Logs every `chat.completions.create` and `responses.create` of `client` (and so its `.stream()`, `.parse()`
 * and `runTools()` helpers, which call them), streamed or not: one task per call. Returns the same client,
 * patched in place; wrapping it again only replaces the options. Clients made by `withOptions()` are wrapped too.
 */
export function wrapOpenAI<T extends object>(client: T, options: CaptureOptions = {}): T {
  const c = client as OpenAILike;
  patchMethod(c.chat?.completions, "create", chatAdapter, options);
  patchMethod(c.responses, "create", responsesAdapter, options);
  patchClones(client, (clone) => wrapOpenAI(clone, options));
  return client;
}

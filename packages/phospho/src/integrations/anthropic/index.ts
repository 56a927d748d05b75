// `phospho/anthropic`: one line to log every call of an `@anthropic-ai/sdk` client.
//
//   import Anthropic from "@anthropic-ai/sdk";
//   import { wrapAnthropic } from "phospho/anthropic";
//   const anthropic = wrapAnthropic(new Anthropic());
//
// `@anthropic-ai/sdk` is not imported: the client is duck-typed, so it stays an optional peer of this package.

import type { CaptureOptions } from "../shared/options.js";
import { patchClones, patchMethod } from "../shared/patch.js";
import { messagesAdapter } from "./messages.js";

export { withPhospho, type CallOptions, type CaptureOptions, type PhosphoLike } from "../shared/options.js";

interface AnthropicLike {
  messages?: unknown;
  beta?: { messages?: unknown };
}

/**
 * Logs every `messages.create` of `client` (and so `messages.stream()` and `messages.parse()`, which call it),
 * streamed or not, with cache tokens: one task per call. Returns the same client, patched in place; clients
 * made by `withOptions()` are wrapped too.
 */
export function wrapAnthropic<T extends object>(client: T, options: CaptureOptions = {}): T {
  const c = client as AnthropicLike;
  patchMethod(c.messages, "create", messagesAdapter, options);
  patchMethod(c.beta?.messages, "create", messagesAdapter, options);
  patchClones(client, (clone) => wrapAnthropic(clone, options));
  return client;
}

/** The session preview and the token totals copied into a session's metadata (see session-totals.ts). */
import type { SessionsTable } from "./schema.js";

export const PREVIEW_CHARS = 200;

/** The first characters, never cutting a surrogate pair in two. */
export function preview(input: string): string {
  const cut = input.slice(0, PREVIEW_CHARS);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

export type SessionTokens = Pick<SessionsTable, "prompt_tokens" | "completion_tokens" | "total_tokens">;

/** The session's metadata with its token totals, as the v2 wire format shows them. */
export function sessionMetadata(previous: Record<string, unknown>, values: SessionTokens): string {
  return JSON.stringify({
    ...previous,
    prompt_tokens: values.prompt_tokens,
    completion_tokens: values.completion_tokens,
    total_tokens: values.total_tokens,
  });
}

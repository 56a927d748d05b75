// Local structural types for the provider objects the extractors understand. Duck-typed on purpose: the SDK
// has no runtime dependency on any provider package, and every field is treated as possibly missing.

export interface ContentPart {
  type?: unknown;
  text?: unknown;
}

export interface ChatMessage {
  role?: unknown;
  content?: unknown;
  tool_calls?: unknown;
}

/** An OpenAI chat query, an Anthropic messages query, or an OpenAI completions query. */
export interface ChatQuery {
  model?: unknown;
  messages?: unknown;
  system?: unknown;
  prompt?: unknown;
  input?: unknown;
  instructions?: unknown;
}

export interface ToolCall {
  type?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

/** Token counts, in either naming (`prompt_tokens`… or `input_tokens`…). */
export interface UsageLike {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  total_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
  prompt_tokens_details?: { cached_tokens?: unknown } | null;
  input_tokens_details?: { cached_tokens?: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  output_tokens_details?: { reasoning_tokens?: unknown } | null;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
}

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** Flat, as the collector reads them (see docs/ARCHITECTURE.md, shared task columns). */
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
}

/** What the extractors found in one value (a field left undefined: not found). */
export interface Extracted {
  text: string | null;
  model?: string | undefined;
  systemPrompt?: string | undefined;
  usage?: Usage | undefined;
  /** The provider's usage object as it came (returned as `usage`, as phospho 1.3 did). */
  rawUsage?: unknown;
}

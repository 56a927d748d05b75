/** A step as the collector handles it (the wire shape of docs/ARCHITECTURE.md, JSON values parsed). */
export const STEP_KINDS = ["llm", "tool", "retrieval", "embedding", "agent", "other"] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export const STEP_STATUSES = ["ok", "error", "unset"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface Step {
  id: string;
  parent_id: string | null;
  name: string;
  kind: StepKind;
  /** ms since the epoch. */
  started_at: number;
  ended_at: number | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  ttft_ms: number | null;
  input: unknown;
  output: unknown;
  status: StepStatus;
  error: string | null;
  attributes: Record<string, unknown>;
}

/**
 * A chat message as steps hold them: OpenAI's chat shape, so that one reader shows every source.
 * `tool_calls[].function.arguments` is JSON text, as in OpenAI's API.
 */
export interface ChatMessage {
  role: string;
  content: string | null;
  tool_calls?: Array<{ id: string | null; type: "function"; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/**
 * Message content that arrived apart from its span (OTLP log records), joined to it by span id. `side` says whether
 * it belongs to the step's input or its output; `time` (ms) orders the entries.
 */
export interface StepLogEntry {
  side: "input" | "output";
  time: number;
  message: ChatMessage;
}

/** A stored row, content joined: what reads and the OTLP task derivation see. */
export interface StoredStep extends Step {
  /** False while only log records have arrived for this id. */
  has_span: boolean;
}

/**
 * The database schema, as Kysely sees it. This file is the contract between the ingest path, the v2 read API
 * and the dashboard queries: every engine (SQLite, PostgreSQL) has exactly these tables and columns.
 *
 * Conventions, identical on both engines so that one query serves both:
 * - times are integer milliseconds since the epoch (BIGINT on PostgreSQL, parsed to number by the driver);
 * - booleans are integers 0/1;
 * - JSON is stored as text (`metadata`, `raw_input`, `raw_output`, `last_eval`) and parsed in TypeScript;
 * - every row belongs to a project, and every key is `(project_id, id)`: a key for one project can never
 *   address another project's rows by id.
 */
import type { Generated } from "kysely";

export interface ProjectsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  /** SHA-256 of the plaintext key, hex. The plaintext is shown once and never stored. */
  key_hash: string;
  /** First characters of the key, for recognising it in lists (`phk_ab12…`). */
  key_prefix: string;
  name: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface TasksTable {
  project_id: string;
  id: string;
  session_id: string | null;
  /** The task's time: event `created_at`, else `client_created_at`, else the time it was received. */
  created_at: number;
  /** When the collector first stored it. Tie-breaker for ordering within the same `created_at`. */
  received_at: number;
  /** When the collector last changed it. */
  updated_at: number;
  /** The client's ordering key for upserts: `last_update`, else `client_created_at`, in ms. */
  last_update: number;
  input: string;
  output: string | null;
  raw_input: string | null;
  raw_output: string | null;
  raw_input_type_name: string | null;
  raw_output_type_name: string | null;
  /** JSON object text. The columns below that also live in metadata are copies kept for indexing. */
  metadata: string;
  user_id: string | null;
  version_id: string | null;
  model: string | null;
  system_prompt: string | null;
  environment: string;
  test_id: string | null;
  step_id: string | null;
  /** Stream outcome sent by the SDK: `completed`, `cancelled`, `error`; null when not a stream. */
  status: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  flag: string | null;
  flag_source: string | null;
  notes: string | null;
  human_eval: string | null;
  human_eval_at: number | null;
  /** JSON text of the latest eval: `{ value, source, notes, created_at }`. */
  last_eval: string | null;
  task_position: number | null;
  is_last_task: number;
  /** Prompt tokens read from a provider cache (a part of `prompt_tokens`). */
  cache_read_tokens: number | null;
  /** Prompt tokens written to a provider cache (Anthropic's cache creation; a part of `prompt_tokens`). */
  cache_write_tokens: number | null;
  /** Reasoning tokens (a part of `completion_tokens`). */
  reasoning_tokens: number | null;
  /** Cost in USD; null when unknown (no model, no tokens, or no price for the model). */
  cost_usd: number | null;
  /** `reported` (sent by the client, for example `gen_ai.usage.cost`) or `estimated` (priced here); null: none. */
  cost_source: string | null;
  /** JSON text of the prices used for an estimated cost (catalogue or project override, with its version). */
  cost_prices: string | null;
  /** Number of steps (spans) stored for this task in `steps`; 0 for a flat task. */
  step_count: number;
}

export interface SessionsTable {
  project_id: string;
  id: string;
  created_at: number;
  last_message_ts: number;
  session_length: number;
  first_task_id: string | null;
  last_task_id: string | null;
  /** The first task's input, truncated. */
  preview: string | null;
  user_id: string | null;
  /** JSON object text; holds the token totals among others. */
  metadata: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  success_count: number;
  failure_count: number;
  notes: string | null;
  /** `received_at` of the first and last task: with `created_at`/`last_message_ts` and the ids, their sort keys. */
  first_received_at: number | null;
  last_received_at: number | null;
  /** Sum of the tasks' costs in nano-USD (integers, so that adding and removing a task is exact). */
  cost_nano: Generated<number>;
}

/** Every feedback ever given, in order. Rows with `applied = 0` wait for their task to arrive. */
export interface EvalsTable {
  id: Generated<number>;
  project_id: string;
  task_id: string;
  /** `flag` (success/failure), `human_eval` (success/failure) or `notes` (a notes-only edit). */
  kind: string;
  value: string | null;
  source: string | null;
  notes: string | null;
  created_at: number;
  applied: number;
}

/** Small key/value settings shared by every replica (for example the dashboard's cookie secret). */
export interface SettingsTable {
  key: string;
  value: string;
}

/** One-time sign-in tokens for the dashboard, stored hashed. */
export interface DashboardTokensTable {
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/**
 * Hourly buckets kept at ingest (aggregates/). Dimension columns hold '' for null and '=' + value otherwise
 * (`flag`: '' or the flag); each writer adds to its own `shard`, and reads sum the shards.
 */
export interface AggHourlyTable {
  project_id: string;
  hour: number;
  model: string;
  version_id: string;
  environment: string;
  flag: string;
  shard: number;
  tasks: number;
  success: number;
  failure: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** Cost in nano-USD, and how many tasks have a cost. */
  cost_nano: number;
  cost_tasks: number;
  /** Tasks with a `total_tokens`. */
  tokens_count: number;
  latency_count: number;
  latency_sum: number;
}

/**
 * A latency histogram by version and hour: `n` tasks in log-spaced bucket `bucket` (see aggregates/sketch.ts).
 */
export interface AggLatencyTable {
  project_id: string;
  hour: number;
  version_id: string;
  shard: number;
  bucket: number;
  n: number;
}

/** A day's latency histogram of a version: JSON `{"bucket": n, …}` (`hour` holds the day's first ms). */
export interface AggLatencyDailyTable {
  project_id: string;
  hour: number;
  version_id: string;
  shard: number;
  histogram: string;
}

/** One row per user of a project: totals and first/last task time, kept at ingest. */
export interface AggUsersTable {
  project_id: string;
  user_id: string;
  tasks: number;
  success: number;
  failure: number;
  total_tokens: number;
  cost_nano: number;
  first_seen: number;
  last_seen: number;
}

/** Sessions whose first task falls in each hour, per writer shard. */
export interface AggSessionStartsTable {
  project_id: string;
  hour: number;
  shard: number;
  sessions: number;
}

/** A project's own prices (USD per million tokens), over the catalogue's, for its own or fine-tuned models. */
export interface ProjectPricesTable {
  project_id: string;
  model: string;
  input_mtok: number;
  output_mtok: number;
  /** Null: the input price. */
  cache_read_mtok: number | null;
  cache_write_mtok: number | null;
  /** Null: the output price. */
  reasoning_mtok: number | null;
  updated_at: number;
}

export interface Database {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  tasks: TasksTable;
  sessions: SessionsTable;
  evals: EvalsTable;
  settings: SettingsTable;
  dashboard_tokens: DashboardTokensTable;
  agg_hourly: AggHourlyTable;
  agg_latency: AggLatencyTable;
  agg_daily: AggHourlyTable;
  agg_latency_daily: AggLatencyDailyTable;
  agg_users: AggUsersTable;
  agg_session_starts: AggSessionStartsTable;
  project_prices: ProjectPricesTable;
}

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
  step_count: Generated<number>;
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
  /** 1 for feedback sent without a key: kept as history, never overwriting the owner's flag or notes. */
  keyless: Generated<number>;
  /** SHA-256 of the client address of key-less feedback (bounds what one address keeps pending); else null. */
  client: Generated<string | null>;
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

/** Server-side dashboard sessions: the cookie holds the id, only its SHA-256 is stored. */
export interface DashboardSessionsTable {
  id_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** The API keys that opened (or added a project to) a dashboard session: revoking the key ends the session. */
export interface DashboardSessionKeysTable {
  session_hash: string;
  key_id: string;
}

/** One step (span) of a task; see `steps/` and migration 008. JSON columns are text; times in ms. */
export interface StepsTable {
  project_id: string;
  task_id: string;
  /** Unique within the task (an OTLP span id in hex). */
  id: string;
  parent_id: string | null;
  name: string;
  /** `llm`, `tool`, `retrieval`, `embedding`, `agent` or `other`. */
  kind: string;
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
  /** JSON text, truncated at the documented limit. */
  input: string | null;
  output: string | null;
  /** `ok`, `error` or `unset`. */
  status: string;
  error: string | null;
  /** JSON object text of the attributes not mapped to a column. */
  attributes: string;
  /** JSON array text of the OTLP log records joined to this span (message content), or null. */
  logs: string | null;
  /** 0 while only log records have arrived for this span id: not a step yet. */
  has_span: number;
}

/** A durable job (`jobs/`): queued, leased while running, done or failed. See migration 010. */
export interface JobsTable {
  project_id: string;
  id: string;
  kind: string;
  /** What the job computes, unique per project: enqueueing the same work twice is a no-op. */
  unique_key: string;
  /** JSON text. */
  payload: string;
  /** `queued` | `running` | `done` | `failed`. */
  status: string;
  attempts: number;
  max_attempts: number;
  /** Not before this time (ms): the retry backoff. */
  run_at: number;
  locked_by: string | null;
  /** While running: the lease's end (ms); past it, another worker may take the job. */
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Per project, the last `(updated_at, id)` of `tasks` handed to the analytics runner. */
export interface AnalyticsWatermarksTable {
  project_id: string;
  updated_at: number;
  task_id: string;
}

/** Language and sentiment of a task's input. */
export interface TaskAnalyticsTable {
  project_id: string;
  task_id: string;
  session_id: string | null;
  /** ISO 639-1 code; null when the input is too short or unknown. */
  language: string | null;
  /** Compound score in [-1, 1]. */
  sentiment_score: number | null;
  /** `positive` | `neutral` | `negative`. */
  sentiment_label: string | null;
  analyzed_at: number;
}

export interface EventDefinitionsTable {
  project_id: string;
  id: string;
  name: string;
  description: string;
  /** `input` | `output` | `both` | `system_prompt` | `session`. */
  scope: string;
  /** `keywords` | `regex` | `llm_tagger` | `llm_scorer` | `llm_classifier`. */
  detector: string;
  /** JSON text: the detector's settings (keywords, pattern, categories, prompt). */
  config: string;
  webhook_url: string | null;
  /** Bumped when the detector changes: detections are per version. */
  version: number;
  active: number;
  created_at: number;
  updated_at: number;
}

/** One per task × definition × definition version. */
export interface DetectionsTable {
  project_id: string;
  task_id: string;
  definition_id: string;
  definition_version: number;
  session_id: string | null;
  /** 1 when the event was detected (tagger yes, keyword found, any score or category). */
  present: number;
  label: string | null;
  score: number | null;
  confidence: number;
  /** `confirmed` | `removed` | `corrected` | null (not reviewed). */
  review: string | null;
  corrected_label: string | null;
  corrected_score: number | null;
  reviewed_at: number | null;
  created_at: number;
}

export interface BackfillsTable {
  project_id: string;
  id: string;
  definition_id: string | null;
  /** JSON text of the filters the back-fill covers. */
  filters: string;
  total: number;
  done: number;
  /** `running` | `done`. */
  status: string;
  created_at: number;
  finished_at: number | null;
}

/** A project's OpenAI-compatible endpoint. `api_key` is never returned by any API, nor logged. */
export interface ModelEndpointsTable {
  project_id: string;
  base_url: string;
  api_key: string | null;
  model: string;
  updated_at: number;
}

export interface JudgeSettingsTable {
  project_id: string;
  enabled: number;
  guidelines: string;
  /** Share of tasks judged, in [0, 1]. */
  sample_rate: number;
  updated_at: number;
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
  dashboard_sessions: DashboardSessionsTable;
  dashboard_session_keys: DashboardSessionKeysTable;
  steps: StepsTable;
  jobs: JobsTable;
  analytics_watermarks: AnalyticsWatermarksTable;
  task_analytics: TaskAnalyticsTable;
  event_definitions: EventDefinitionsTable;
  detections: DetectionsTable;
  backfills: BackfillsTable;
  model_endpoints: ModelEndpointsTable;
  judge_settings: JudgeSettingsTable;
  saved_views: SavedViewsTable;
  agg_hourly: AggHourlyTable;
  agg_latency: AggLatencyTable;
  agg_daily: AggHourlyTable;
  agg_latency_daily: AggLatencyDailyTable;
  agg_users: AggUsersTable;
  agg_session_starts: AggSessionStartsTable;
  project_prices: ProjectPricesTable;
}

/** Dashboard saved views (migration 011). */
export interface SavedViewsTable {
  project_id: string;
  id: string;
  name: string;
  /** `tasks`, `sessions`, `users` or `overview`: the page the view opens. */
  page: string;
  /** The page's URL query (filters, sort), without `?`. */
  query: string;
  /** JSON of the tasks table settings (columns, widths, density, page size), or null. */
  table_config: string | null;
  created_at: number;
}

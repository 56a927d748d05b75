/**
 * The JSON shapes the `/api` routes return (see README.md here). Types only, no runtime code: the query
 * modules annotate their results with them, and the dashboard imports them with `import type`, so one
 * definition serves both and nothing from the server reaches the browser bundle.
 */

export interface Project {
  id: string;
  name: string;
  created_at: number;
}

export interface FeedbackEntry {
  id: number;
  kind: string;
  value: string | null;
  source: string | null;
  notes: string | null;
  created_at: number;
  applied: boolean;
}

export interface TaskListItem {
  id: string;
  session_id: string | null;
  created_at: number;
  received_at: number;
  input: string;
  output: string | null;
  flag: string | null;
  has_notes: boolean;
  user_id: string | null;
  model: string | null;
  version_id: string | null;
  environment: string;
  status: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  latency_ms: number | null;
  /** Steps (spans) stored for the task; 0 for a flat task. Its trace's duration is `latency_ms`. */
  step_count: number;
  /** Language, sentiment and event badges (analytics); absent while the task waits for the runner. */
  analytics?: TaskAnalytics;
  /** USD; null when unknown ("no price"). */
  cost_usd: number | null;
  /** `reported` (sent by the client) or `estimated` (priced by the collector); null: no cost. */
  cost_source: string | null;
  /** The metadata keys asked for with `meta_columns`. */
  meta?: Record<string, unknown>;
}

/** How many tasks match the filters: exact, or an estimate ("about N") when counting them all would be slow. */
/** How many items a list's filters match: `exact`, or an estimate ("about N") when counting would be slow. */
export interface MatchCount {
  count: number;
  exact: boolean;
}
/** The tasks list's count (`GET /count/tasks`). */
export type TaskCount = MatchCount;

export interface TaskPage {
  tasks: TaskListItem[];
  nextCursor: string | null;
}

export interface Task extends Omit<TaskListItem, "has_notes"> {
  project_id: string;
  updated_at: number;
  raw_input: unknown;
  raw_output: unknown;
  raw_input_type_name: string | null;
  raw_output_type_name: string | null;
  metadata: Record<string, unknown>;
  system_prompt: string | null;
  test_id: string | null;
  step_id: string | null;
  ttft_ms: number | null;
  flag_source: string | null;
  notes: string | null;
  human_eval: string | null;
  last_eval: unknown;
  task_position: number | null;
  is_last_task: boolean;
}

export interface TaskDetail {
  task: Task;
  feedback: FeedbackEntry[];
  /** The task's steps in time order (the wire shape of docs/ARCHITECTURE.md); empty for a flat task. */
  steps: TaskStep[];
  /** `task.metadata` split: the user's own keys, and the keys phospho derives fields from (see derived-keys.ts). */
  user_metadata?: Record<string, unknown>;
  derived_metadata?: Record<string, unknown>;
}

/** One step of a task: an OTLP span, or a step sent on `/v2/log`. Times in ms since the epoch. */
export interface TaskStep {
  id: string;
  parent_id: string | null;
  name: string;
  kind: "llm" | "tool" | "retrieval" | "embedding" | "agent" | "other";
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
  status: "ok" | "error" | "unset";
  error: string | null;
  attributes: Record<string, unknown>;
}

export interface Session {
  id: string;
  created_at: number;
  last_message_ts: number;
  session_length: number;
  preview: string | null;
  user_id: string | null;
  total_tokens: number;
  success_count: number;
  failure_count: number;
  notes: string | null;
  /** Sum of the tasks' costs, USD. */
  cost_usd: number;
  /** The roll-up (language, sentiment, events) on list pages (`GET /sessions`). */
  analytics?: SessionAnalytics;
}

export interface SessionPage {
  sessions: Session[];
  nextCursor: string | null;
}

export interface SessionDetail {
  session: Session;
  tasks: Array<Task & { feedback: FeedbackEntry[] }>;
  /** True when the transcript was cut (at 1,000 tasks or 16 MiB of task text): the first tasks only. */
  truncated?: boolean;
}

export interface UserSummary {
  user_id: string;
  tasks: number;
  sessions: number;
  success: number;
  failure: number;
  /** success / (success + failure), null when no task of the user has a flag. */
  success_rate: number | null;
  tokens: number;
  first_seen: number;
  last_seen: number;
  /** Sum of the user's task costs, USD. */
  cost_usd: number;
}

export interface Measures {
  tasks: number;
  sessions: number;
  success: number;
  failure: number;
  success_rate: number | null;
  tokens: number;
  avg_latency_ms: number | null;
  /** Sum of the costs, USD (tasks without a price add nothing; see `cost_tasks`). */
  cost_usd: number;
  /** Tasks that have a cost. */
  cost_tasks: number;
}

/**
 * Where a reply's numbers come from: the aggregates kept at ingest (whole hours, plus the tasks of the partial
 * hours at the range's edges), or the tasks themselves when a filter is one the aggregates don't carry
 * (metadata, search, user, session, notes): then exact, computed from `rows` tasks.
 */
export type ReadSource =
  | {
      kind: "aggregates";
      /** Tasks read from the table for the partial hours at the edges of the range. */
      edge_tasks: number;
      /** `sketch`: percentiles from the latency histogram, within `relative_accuracy`; `exact` for small sets. */
      latency: "exact" | "sketch";
      relative_accuracy: number;
      /** Distinct sessions and users: from the aggregates, or counted from the tasks (dimension filters). */
      distinct: "aggregates" | "tasks";
    }
  | { kind: "tasks"; exact: true; rows: number };

/** One row of a breakdown by model or version (sessions are not additive across groups, so absent). */
export type Breakdown = Omit<Measures, "sessions"> & { key: string | null };

export interface Overview {
  totals: Measures & { users: number; latency_p50_ms: number | null; latency_p95_ms: number | null };
  /** Buckets (`?bucket=hour|day`, default day): `day` is the UTC day, `start` the bucket's first ms. */
  days: Array<Measures & { day: string; start: number }>;
  byModel: Breakdown[];
  byVersion: Breakdown[];
  source: ReadSource;
}

export interface VersionStats extends Omit<Measures, "sessions"> {
  /** Distinct sessions; null when read from the aggregates (not additive across hours). */
  sessions: number | null;
  version_id: string;
  avg_tokens: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  source: ReadSource;
}

export interface Suggestion {
  value: string;
  count: number;
}

/** One detection of an event definition's current version on a task or session (a badge). */
export interface Badge {
  event_id: string;
  name: string;
  detector: string;
  version: number;
  present: boolean;
  label: string | null;
  score: number | null;
  confidence: number;
  /** `confirmed` | `removed` | `corrected` | null. */
  review: string | null;
  corrected_label: string | null;
  corrected_score: number | null;
}

export interface TaskAnalytics {
  language: string | null;
  sentiment: { score: number; label: string } | null;
  events: Badge[];
}

/** A session's roll-up: the most common language and sentiment label of its tasks, their average score, its own
 * session-scope detections (badges) and, per event, how many of its tasks have it. */
export interface SessionAnalytics {
  language: string | null;
  sentiment: { average: number | null; label: string | null };
  events: Badge[];
  task_events: Array<{ event_id: string; name: string; tasks: number }>;
}

/** A saved view (migration 011): a page with its URL query, and the tasks table settings when saved there. */
export interface SavedView {
  id: string;
  name: string;
  page: string;
  /** The page's URL query without `?`. */
  query: string;
  table_config: unknown;
  created_at: number;
}

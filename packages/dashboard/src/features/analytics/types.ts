/** Shapes of the analytics API (see packages/server/src/dashboard/README.md, "Analytics"). */
import type { Comparison, VersionStats } from "../../../../server/src/analytics/ab";
import type { Badge, SessionAnalytics, TaskAnalytics } from "../../../../server/src/dashboard/api-types";
export type { Badge, SessionAnalytics, TaskAnalytics };

/** A detector's settings (the server's `DetectorConfig`). */
export interface DetectorConfig {
  keywords?: string[];
  pattern?: string;
  caseInsensitive?: boolean;
  categories?: string[];
  prompt?: string;
}

export interface EventDefinition {
  id: string;
  name: string;
  description: string;
  scope: string;
  detector: string;
  config: DetectorConfig;
  webhook_url: string | null;
  version: number;
  active: boolean;
  needs_model: boolean;
  status: "active" | "paused" | "inactive";
}

export interface Template {
  id: string;
  needs_model: boolean;
  definition: { name: string; description: string; detector: string; scope: string };
}

export type Endpoint =
  | { configured: false }
  | { configured: true; base_url: string; model: string; has_key: boolean; source: string };

export interface EventsReply {
  events: EventDefinition[];
  templates: Template[];
  endpoint: Endpoint;
}

export interface Metrics {
  event_id: string;
  version: number;
  detections: number;
  detected: number;
  corrections: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  mse: number | null;
}

export interface Progress {
  jobs: Array<{ kind: string; queued: number; running: number; done: number; failed: number }>;
  rate_per_minute: number;
  backfills: Array<{ id: string; total: number; done: number; status: string; created_at: number }>;
  failed: Array<{ id: string; kind: string; attempts: number; error: string | null }>;
  waiting_tasks: number;
}

/** `GET /ab/compare`: the server's own types (types only; nothing of the server reaches the bundle). */
export type CompareReply = { alpha: number; versions: VersionStats[]; comparisons: Comparison[] };

export interface JudgeReply {
  settings: { enabled: boolean; guidelines: string; sample_rate: number };
  agreement: { n: number; agree: number; rate: number | null };
}

export interface EventRate {
  version_id: string | null;
  event_id: string;
  name: string;
  analysed: number;
  detected: number;
  rate: number | null;
}

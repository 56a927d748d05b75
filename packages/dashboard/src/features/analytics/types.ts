/** Shapes of the analytics API (see packages/server/src/dashboard/README.md, "Analytics"). */
import type { Badge, TaskAnalytics } from "../../../../server/src/dashboard/api-types";
export type { Badge, TaskAnalytics };

export interface EventDefinition {
  id: string;
  name: string;
  description: string;
  scope: string;
  detector: string;
  config: { keywords?: string[]; pattern?: string; categories?: string[] };
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

export interface Interval {
  low: number;
  high: number;
}

export interface CompareReply {
  alpha: number;
  versions: Array<{
    version_id: string;
    tasks: number;
    flagged: number;
    successes: number;
    success_rate: number | null;
    success_interval: Interval | null;
    events: Array<{
      event_id: string;
      name: string;
      detected: number;
      analysed: number;
      rate: number | null;
      interval: Interval | null;
    }>;
    latency: { n: number; mean: number | null; median: number | null; p95: number | null };
    tokens: { mean_total: number | null };
  }>;
  comparisons: Array<{
    baseline: string;
    version_id: string;
    success_rate: {
      difference: number;
      interval: Interval;
      p_value: number;
      significant: boolean;
      n: [number, number];
    } | null;
    events: Array<{
      event_id: string;
      test: { difference: number; p_value: number; significant: boolean; n: [number, number] } | null;
    }>;
    latency: {
      p_value: number;
      significant: boolean;
      n: [number, number];
      median_difference: number | null;
    } | null;
  }>;
}

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

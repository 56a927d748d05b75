/** Every migration, in the order applied. Append; never edit or reorder one that has shipped. */
import { initial } from "./001_initial.js";
import { search } from "./002_search.js";
import { sortIndexes } from "./003_sort_indexes.js";
import { metadataGin } from "./004_metadata_gin.js";
import { pendingFeedback } from "./005_pending_feedback.js";
import { usageCostSteps } from "./006_usage_cost_steps.js";
import { security } from "./007_security.js";
import { steps } from "./008_steps.js";
import { jobsAnalytics } from "./010_jobs_analytics.js";
import { savedViews } from "./011_saved_views.js";
import { aggregates } from "./009_aggregates.js";
import { sessionRollupIndexes } from "./012_session_rollup_indexes.js";
import { searchPending } from "./013_search_pending.js";
import type { Migration } from "./types.js";

export type { Migration } from "./types.js";
export const MIGRATIONS: readonly Migration[] = [
  initial,
  search,
  sortIndexes,
  metadataGin,
  pendingFeedback,
  usageCostSteps,
  security,
  steps,
  jobsAnalytics,
  savedViews,
  aggregates,
  sessionRollupIndexes,
  searchPending,
];

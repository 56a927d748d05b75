/**
 * Shapes returned by the dashboard API. They are defined once, next to the queries that produce them, in
 * packages/server/src/dashboard/api-types.ts (types only); `export type` is erased by Vite, so no server code
 * reaches the browser bundle.
 */
export type {
  Breakdown,
  FeedbackEntry,
  Measures,
  Overview,
  Project,
  SavedView,
  Session,
  SessionDetail,
  SessionPage,
  Suggestion,
  Task,
  MatchCount,
  TaskCount,
  TaskDetail,
  TaskListItem,
  TaskPage,
  TaskStep,
  UserSummary,
  VersionStats,
} from "../../../server/src/dashboard/api-types";

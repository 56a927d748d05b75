/** Aggregates kept at ingest: the write side (called by store/ inside its transaction), the check and the reads. */
export type { TaskChange } from "./contribution.js";
export { costNano, HOUR_MS } from "./keys.js";
export { applyAggregateChanges, applySessionStartChanges } from "./write.js";
export { checkAggregates, type CheckReport } from "./check.js";
export { rebuildAggregates } from "./rebuild.js";
export { RELATIVE_ACCURACY } from "./sketch.js";
export { addSums, zeroSums, type Sums } from "./contribution.js";
export {
  countUsers,
  readAggregates,
  sessionStartsByDay,
  sketchServes,
  type AggregateRead,
  type Grouping,
  type BucketFilters,
} from "./read.js";
export { sketchQuantiles } from "./sketch.js";
export {
  chartBuckets,
  HOUR_BUCKETS,
  isTimeZone,
  UTC_DAY_BUCKETS,
  zoneDays,
  zoneOffset,
  type Buckets,
} from "./buckets.js";

/**
 * What a task adds to the aggregates, and the net change of a batch: every change removes the task's old
 * contribution and adds the new one, so a re-sent batch nets to zero and an upsert moves a task between buckets.
 */
import type { TaskRow } from "../store/types.js";
import { bucketKeyOf, costNano, dayOf, keyString, type BucketKey } from "./keys.js";
import { latencyBucket } from "./sketch.js";

/** A task before and after a write; null when it did not (or no longer does) exist. */
export interface TaskChange {
  before: TaskRow | null;
  after: TaskRow | null;
}

export const SUM_COLUMNS = [
  "tasks",
  "success",
  "failure",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_nano",
  "cost_tasks",
  "tokens_count",
  "latency_count",
  "latency_sum",
] as const;

export type SumColumn = (typeof SUM_COLUMNS)[number];
export type Sums = Record<SumColumn, number>;

export function zeroSums(): Sums {
  // A literal, not built from SUM_COLUMNS: the all-time overview makes thousands of these per request.
  return {
    tasks: 0,
    success: 0,
    failure: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_nano: 0,
    cost_tasks: 0,
    tokens_count: 0,
    latency_count: 0,
    latency_sum: 0,
  };
}

/** Adds `from` into `into`, in place. */
export function addSums(into: Sums, from: Sums): Sums {
  for (const column of SUM_COLUMNS) into[column] += from[column];
  return into;
}

export function sumsOfTask(task: TaskRow): Sums {
  const n = (v: number | null) => (v === null ? 0 : Number(v));
  return {
    tasks: 1,
    success: task.flag === "success" ? 1 : 0,
    failure: task.flag === "failure" ? 1 : 0,
    prompt_tokens: n(task.prompt_tokens),
    completion_tokens: n(task.completion_tokens),
    total_tokens: n(task.total_tokens),
    cache_read_tokens: n(task.cache_read_tokens),
    cache_write_tokens: n(task.cache_write_tokens),
    reasoning_tokens: n(task.reasoning_tokens),
    cost_nano: costNano(task.cost_usd),
    cost_tasks: task.cost_usd === null ? 0 : 1,
    tokens_count: task.total_tokens === null ? 0 : 1,
    latency_count: task.latency_ms === null ? 0 : 1,
    latency_sum: n(task.latency_ms),
  };
}

export interface BucketDelta {
  key: BucketKey;
  sums: Sums;
  latency: Map<number, number>;
}

export function addTask(deltas: Map<string, BucketDelta>, task: TaskRow, sign: 1 | -1): void {
  const key = bucketKeyOf(task);
  const id = keyString(key);
  let delta = deltas.get(id);
  if (!delta) {
    delta = { key, sums: zeroSums(), latency: new Map() };
    deltas.set(id, delta);
  }
  const sums = sumsOfTask(task);
  for (const column of SUM_COLUMNS) delta.sums[column] += sign * sums[column];
  if (task.latency_ms !== null) {
    const bucket = latencyBucket(Number(task.latency_ms));
    delta.latency.set(bucket, (delta.latency.get(bucket) ?? 0) + sign);
  }
}

/** The net bucket deltas of a list of changes; buckets whose change nets to nothing are left out. */
export function bucketDeltas(changes: TaskChange[]): BucketDelta[] {
  const deltas = new Map<string, BucketDelta>();
  for (const { before, after } of changes) {
    if (before) addTask(deltas, before, -1);
    if (after) addTask(deltas, after, 1);
  }
  const out: BucketDelta[] = [];
  for (const [, delta] of [...deltas].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    for (const [bucket, n] of delta.latency) if (n === 0) delta.latency.delete(bucket);
    if (SUM_COLUMNS.some((c) => delta.sums[c] !== 0) || delta.latency.size > 0) out.push(delta);
  }
  return out;
}

export interface UserDelta {
  user_id: string;
  tasks: number;
  success: number;
  failure: number;
  total_tokens: number;
  cost_nano: number;
  /** Earliest and latest `created_at` added; a removal makes `recheck` true (first/last seen re-read). */
  first: number;
  last: number;
  recheck: boolean;
}

export function userDeltas(changes: TaskChange[]): UserDelta[] {
  const users = new Map<string, UserDelta>();
  const touch = (task: TaskRow, sign: 1 | -1, movesBounds = true) => {
    if (task.user_id === null) return;
    let delta = users.get(task.user_id);
    if (!delta) {
      delta = {
        user_id: task.user_id,
        tasks: 0,
        success: 0,
        failure: 0,
        total_tokens: 0,
        cost_nano: 0,
        first: Number.MAX_SAFE_INTEGER,
        last: Number.MIN_SAFE_INTEGER,
        recheck: false,
      };
      users.set(task.user_id, delta);
    }
    const sums = sumsOfTask(task);
    delta.tasks += sign;
    delta.success += sign * sums.success;
    delta.failure += sign * sums.failure;
    delta.total_tokens += sign * sums.total_tokens;
    delta.cost_nano += sign * sums.cost_nano;
    if (sign === 1) {
      delta.first = Math.min(delta.first, Number(task.created_at));
      delta.last = Math.max(delta.last, Number(task.created_at));
    } else if (movesBounds) delta.recheck = true;
  };
  for (const { before, after } of changes) {
    // An unchanged user and time: only the sums move, first/last seen stay.
    if (before && after && before.user_id === after.user_id && before.created_at === after.created_at) {
      touch(before, -1, false);
      touch(after, 1);
      continue;
    }
    if (before) touch(before, -1);
    if (after) touch(after, 1);
  }
  return [...users.values()].sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
}

/** A row of sums (hourly or daily: `key.hour` holds the bucket's first ms) or of a latency histogram. */
export interface SumRow {
  key: BucketKey;
  sums: Sums;
}

export interface LatencyRow {
  hour: number;
  version_id: string;
  bucket: number;
  n: number;
}

export interface Rollups {
  hourly: SumRow[];
  daily: SumRow[];
  latencyHourly: LatencyRow[];
  latencyDaily: LatencyRow[];
}

const byText = <T>(entries: Map<string, T>): T[] =>
  [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, value]) => value);

/**
 * Every table's rows from the hourly deltas: the daily sums, and the latency histograms by version per hour and
 * per day; in key order (the lock order of every writer), without rows that net to nothing.
 */
export function rollups(deltas: Iterable<BucketDelta>): Rollups {
  const hourly: SumRow[] = [];
  const daily = new Map<string, SumRow>();
  const latencyHourly = new Map<string, LatencyRow>();
  const latencyDaily = new Map<string, LatencyRow>();
  const addLatency = (
    into: Map<string, LatencyRow>,
    hour: number,
    version: string,
    bucket: number,
    n: number,
  ) => {
    const id = `${hour}\u0000${version}\u0000${String(bucket + 1e6).padStart(8, "0")}`;
    const row = into.get(id);
    if (row) row.n += n;
    else into.set(id, { hour, version_id: version, bucket, n });
  };
  for (const delta of deltas) {
    hourly.push({ key: delta.key, sums: delta.sums });
    const dayKey = { ...delta.key, hour: dayOf(delta.key.hour) };
    const id = keyString(dayKey);
    const row = daily.get(id);
    if (row) for (const column of SUM_COLUMNS) row.sums[column] += delta.sums[column];
    else daily.set(id, { key: dayKey, sums: { ...delta.sums } });
    for (const [bucket, n] of delta.latency) {
      addLatency(latencyHourly, delta.key.hour, delta.key.version_id, bucket, n);
      addLatency(latencyDaily, dayKey.hour, delta.key.version_id, bucket, n);
    }
  }
  const nonZero = (row: SumRow) => SUM_COLUMNS.some((column) => row.sums[column] !== 0);
  return {
    hourly: hourly.filter(nonZero),
    daily: byText(daily).filter(nonZero),
    latencyHourly: byText(latencyHourly).filter((row) => row.n !== 0),
    latencyDaily: byText(latencyDaily).filter((row) => row.n !== 0),
  };
}

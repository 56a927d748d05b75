/**
 * Chart buckets: hours, UTC days, or the days of a time zone. A zone's day is not a UTC day, and its offset
 * changes with daylight saving, so a zone's days are numbered by `floor((ms + offset) / day)` with the offset
 * that holds at `ms`: over a range, the offset is constant on a few stretches (two a year), and one SQL `CASE`
 * picks the stretch. The same numbering applies to the hourly buckets (by their hour's start) and to tasks, so
 * every source of a chart agrees. A zone that is not a whole number of hours from UTC puts an hour bucket on the
 * day its start falls on.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../store/schema.js";
import { DAY_MS, HOUR_MS } from "./keys.js";

export interface Buckets {
  /** `hour` or `day`. */
  unit: "hour" | "day";
  /** The IANA zone of the days, or `UTC`. */
  zone: string;
  /** Whether a bucket is a whole UTC day, which the daily rollups can serve. */
  utcDays: boolean;
  /** The bucket number of a ms column, in SQL (literals only, so PostgreSQL sees GROUP BY = SELECT). */
  expression(column: string): RawBuilder<number>;
  /** The bucket number of an instant. */
  of(ms: number): number;
  /** The first ms of bucket `n`. */
  start(n: number): number;
  /** The `YYYY-MM-DD` date of bucket `n` (in the zone for days; the UTC date of an hour). */
  day(n: number): string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, found);
  }
  return found;
}

/** True for a zone name this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
export function zoneOffset(zone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) parts[part.type] = Number(part.value);
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return local - Math.floor(ms / 1000) * 1000;
}

interface Stretch {
  /** First ms where `offset` holds (the first stretch holds before it too). */
  from: number;
  offset: number;
}

/** Each zone's stretches by UTC year, found once per process: a zone's rules do not change while it runs. */
const yearCache = new Map<string, Stretch[]>();

/** The offset changes within one UTC year, found a week at a time (no zone changes twice in a week), each to the minute. */
function yearStretches(zone: string, year: number): Stretch[] {
  const key = `${zone}\u0000${year}`;
  const cached = yearCache.get(key);
  if (cached) return cached;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const out: Stretch[] = [{ from: start, offset: zoneOffset(zone, start) }];
  for (let t = start; t < end;) {
    const next = Math.min(t + 7 * DAY_MS, end);
    const offset = zoneOffset(zone, next);
    const last = out[out.length - 1]!;
    if (offset !== last.offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (zoneOffset(zone, mid) === last.offset) lo = mid;
        else hi = mid;
      }
      // The change is in (lo, hi], a minute or less: on its one whole minute (zones change on minutes).
      const minute = Math.floor(hi / 60_000) * 60_000;
      out.push({ from: minute > lo ? minute : hi, offset });
    }
    t = next;
  }
  yearCache.set(key, out);
  return out;
}

/** The stretches of constant offset over [from, to]. */
export function offsetStretches(zone: string, from: number, to: number): Stretch[] {
  const out: Stretch[] = [];
  const first = new Date(from).getUTCFullYear();
  const last = new Date(Math.max(from, to)).getUTCFullYear();
  for (let year = first; year <= last; year++) {
    for (const s of yearStretches(zone, year)) {
      if (s.from > to && out.length > 0) break;
      const prev = out[out.length - 1];
      if (prev?.offset === s.offset) continue;
      // Stretches that end before `from` collapse into the first one.
      if (prev && s.from <= from) out[out.length - 1] = s;
      else out.push(s);
    }
  }
  return out;
}

const UTC_DAY_OR_HOUR = (unit: "hour" | "day"): Buckets => {
  const size = unit === "hour" ? HOUR_MS : DAY_MS;
  return {
    unit,
    zone: "UTC",
    utcDays: unit === "day",
    expression: (column) => sql<number>`${sql.ref(column)} / ${sql.lit(size)}`,
    of: (ms) => Math.floor(ms / size),
    start: (n) => n * size,
    day: (n) => new Date(n * size).toISOString().slice(0, 10),
  };
};

export const HOUR_BUCKETS = UTC_DAY_OR_HOUR("hour");
export const UTC_DAY_BUCKETS = UTC_DAY_OR_HOUR("day");

/** The days of `zone` over [from, to] (a time outside it takes the offset of the nearest end). */
export function zoneDays(zone: string, from: number, to: number): Buckets {
  const stretches = offsetStretches(zone, from, Math.max(from, to));
  if (stretches.every((s) => s.offset === 0)) return { ...UTC_DAY_BUCKETS, zone };
  const offsetAt = (ms: number) => {
    let offset = stretches[0]!.offset;
    for (const s of stretches) if (ms >= s.from) offset = s.offset;
    return offset;
  };
  return {
    unit: "day",
    zone,
    utcDays: false,
    expression(column) {
      const local = (offset: number) =>
        sql<number>`(${sql.ref(column)} + ${sql.lit(offset)}) / ${sql.lit(DAY_MS)}`;
      if (stretches.length === 1) return local(stretches[0]!.offset);
      const cases = stretches
        .slice(1)
        .map((s, i) => sql`WHEN ${sql.ref(column)} < ${sql.lit(s.from)} THEN ${local(stretches[i]!.offset)}`);
      return sql<number>`(CASE ${sql.join(cases, sql` `)} ELSE ${local(stretches.at(-1)!.offset)} END)`;
    },
    of: (ms) => Math.floor((ms + offsetAt(ms)) / DAY_MS),
    // Local midnight of day n: its UTC midnight less the offset that holds then (checked once more across a change).
    start(n) {
      const guess = n * DAY_MS - offsetAt(n * DAY_MS);
      return n * DAY_MS - offsetAt(guess);
    },
    day: (n) => new Date(n * DAY_MS).toISOString().slice(0, 10),
  };
}

/**
 * The buckets of a chart: hours; or days, of `zone` when one other than UTC is given. An open range starts at the
 * project's first task (read only for a zone's days).
 */
export async function chartBuckets(
  db: Kysely<Database>,
  projectId: string,
  unit: "hour" | "day",
  zone: string | undefined,
  range: { from?: number | undefined; to?: number | undefined },
  now = Date.now(),
): Promise<Buckets> {
  if (unit === "hour") return HOUR_BUCKETS;
  if (zone === undefined || zone === "UTC") return UTC_DAY_BUCKETS;
  let from = range.from;
  if (from === undefined) {
    const row = await db
      .selectFrom("tasks")
      .select(sql<number>`min(created_at)`.as("t"))
      .where("project_id", "=", projectId)
      .executeTakeFirst();
    from = Number(row?.t ?? now);
  }
  return zoneDays(zone, from, Math.max(range.to ?? now, from));
}

/**
 * Chart buckets over the whole chosen range, in the page's time zone: hours for a range up to two days, days
 * otherwise, for any length of range. The API gives hour buckets (UTC hours are the zone's hours for whole-hour
 * offsets), or the days of the zone it is named (`tz`); a bucket without tasks is a zero, so one day of data is
 * one bar among many, not a wide one.
 */
import type { Overview } from "../api/types";
import { dayKey, dayStart, nextDayStart, zoneName, type Zone } from "./time";

type Row = Overview["days"][number];

export interface Bucket {
  label: string;
  /** First and last ms of the bucket, for the tasks behind a bar. */
  from: number;
  to: number;
  /** `YYYY-MM-DD` for a day bucket. */
  day?: string;
  tasks: number;
  success: number;
  failure: number;
  tokens: number;
  /** Sessions started in the bucket. */
  sessions: number;
  avg_latency_ms: number | null;
}

const HOUR = 3_600_000;
const RANGE_MS: Record<string, number> = { "24h": 24 * HOUR, "7d": 7 * 24 * HOUR, "30d": 30 * 24 * HOUR };

/** The span a query covers: `from`/`to` ms (to defaults to now); `from` null for "all time". */
export function spanOf(params: URLSearchParams, defaultRange: string, now = Date.now()) {
  const range = params.get("range") ?? (params.has("from") || params.has("to") ? "custom" : defaultRange);
  const instant = (v: string | null, end: boolean) => {
    if (!v) return null;
    if (/^\d+$/.test(v)) return Number(v);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return end ? nextDayStart(v) - 1 : dayStart(v);
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : ms;
  };
  if (range === "custom")
    return { from: instant(params.get("from"), false), to: instant(params.get("to"), true) ?? now };
  const ms = RANGE_MS[range];
  return { from: ms === undefined ? null : now - ms, to: now };
}

/** Hours draw a chart of at most two days; longer ranges are drawn in days. */
function hourly(span: { from: number | null; to: number }): boolean {
  return span.from !== null && span.to - span.from <= 48 * HOUR;
}

/**
 * The overview's bucket parameters: hours for an hourly chart, else days of the page's zone (`tz`, the browser's
 * IANA zone; none for UTC days).
 */
export function apiBucket(span: { from: number | null; to: number }, zone: Zone): Record<string, string> {
  if (hourly(span)) return { bucket: "hour" };
  return zone === "utc" ? { bucket: "day" } : { bucket: "day", tz: zoneName(zone) };
}

function add(b: Bucket, r: Row) {
  const latencyWeight = (b.avg_latency_ms === null ? 0 : b.tasks) + (r.avg_latency_ms === null ? 0 : r.tasks);
  if (r.avg_latency_ms !== null && latencyWeight > 0) {
    const before = b.avg_latency_ms === null ? 0 : b.avg_latency_ms * b.tasks;
    b.avg_latency_ms = (before + r.avg_latency_ms * r.tasks) / latencyWeight;
  }
  b.tasks += r.tasks;
  b.success += r.success;
  b.failure += r.failure;
  b.tokens += r.tokens;
  b.sessions += r.sessions;
}

const blank = (label: string, from: number, to: number, day?: string): Bucket => ({
  label,
  from,
  to,
  ...(day !== undefined && { day }),
  tasks: 0,
  success: 0,
  failure: 0,
  tokens: 0,
  sessions: 0,
  avg_latency_ms: null,
});

export function buildBuckets(
  rows: Row[],
  span: { from: number | null; to: number },
  zone: Zone,
  /** The rows are the API's days of this zone (`bucket=day`): placed by their date, not re-cut. */
  rowsAreDays = false,
): Bucket[] {
  const first = span.from ?? rows[0]?.start ?? null;
  if (first === null) return [];
  const hourly = !rowsAreDays && span.to - first <= 48 * HOUR;
  const out: Bucket[] = [];
  const index = new Map<string, Bucket>();
  if (hourly) {
    const fmt = new Intl.DateTimeFormat(undefined, {
      hour: "2-digit",
      minute: "2-digit",
      ...(zone === "utc" && { timeZone: "UTC" }),
    });
    for (let t = Math.floor(first / HOUR) * HOUR; t <= span.to; t += HOUR) {
      const b = blank(fmt.format(t), t, t + HOUR - 1);
      out.push(b);
      index.set(String(t), b);
    }
    for (const r of rows) {
      const b = index.get(String(Math.floor(r.start / HOUR) * HOUR));
      if (b) add(b, r);
    }
    return out;
  }
  for (let day = dayKey(first, zone); dayStart(day, zone) <= span.to;) {
    const from = dayStart(day, zone);
    const next = nextDayStart(day, zone);
    const b = blank(day.slice(5), from, next - 1, day);
    out.push(b);
    index.set(day, b);
    day = dayKey(next + HOUR, zone);
    if (out.length > 2000) break;
  }
  for (const r of rows) {
    const b = index.get(rowsAreDays ? r.day : dayKey(r.start, zone));
    if (b) add(b, r);
  }
  return out;
}

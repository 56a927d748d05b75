/**
 * The one time zone of the page: the browser's own, or UTC when the reader switches to it (kept in local
 * storage). Table times, date pickers, ranges and chart buckets all go through here, so a day picked is the
 * day shown.
 */
import { useSyncExternalStore } from "react";

export type Zone = "local" | "utc";

const KEY = "phospho.zone";
const listeners = new Set<() => void>();

function read(): Zone {
  try {
    return window.localStorage.getItem(KEY) === "utc" ? "utc" : "local";
  } catch {
    return "local";
  }
}

let current: Zone = read();

export function setZone(zone: Zone): void {
  current = zone;
  try {
    window.localStorage.setItem(KEY, zone);
  } catch {
    // private mode: the choice lasts for this page only
  }
  for (const l of listeners) l();
}

export function getZone(): Zone {
  return current;
}

export function useZone(): Zone {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

/** The IANA name of the browser's zone (`Europe/Paris`), or `UTC`. */
export function zoneName(zone: Zone = current): string {
  return zone === "utc" ? "UTC" : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? "local time");
}

/** Options that pin a formatter to the page's zone. */
export function zoneOptions(zone: Zone = current): { timeZone?: string } {
  return zone === "utc" ? { timeZone: "UTC" } : {};
}

/** `YYYY-MM-DD` of an instant in the zone. */
export function dayKey(ms: number, zone: Zone = current): string {
  const d = new Date(ms);
  if (zone === "utc") return d.toISOString().slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The first ms of a `YYYY-MM-DD` day in the zone. */
export function dayStart(day: string, zone: Zone = current): number {
  const [y, m, d] = day.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) return Number.NaN;
  return zone === "utc" ? Date.UTC(y, m - 1, d) : new Date(y, m - 1, d).getTime();
}

/** The first ms of the next day after `day`, in the zone (23 or 25 hours away across a DST change). */
export function nextDayStart(day: string, zone: Zone = current): number {
  const [y, m, d] = day.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) return Number.NaN;
  return zone === "utc" ? Date.UTC(y, m - 1, d + 1) : new Date(y, m - 1, d + 1).getTime();
}

/** The start of the hour holding `ms` (every zone we show is a whole number of hours from UTC, nearly). */
export function hourStart(ms: number): number {
  return Math.floor(ms / 3_600_000) * 3_600_000;
}

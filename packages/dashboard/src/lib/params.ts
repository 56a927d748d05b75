/**
 * Filters live in the URL query, with the same names the API takes, so the page URL reproduces the view and
 * the API call is the page's query passed through. Two things are added on the way to the API: the one default
 * range (the same on every page, so switching tabs never changes the numbers), and `from`/`to` days turned
 * into instants of the page's time zone.
 */
import { navigate, useLocation } from "./router";
import { dayStart, nextDayStart, useZone } from "./time";

/** The range every page shows when the URL names none. */
export const DEFAULT_RANGE = "7d";

/** The analytics filters (features/analytics/AnalyticsFilter.tsx), on the tasks and the sessions lists alike. */
const ANALYTICS_KEYS = [
  "event",
  "event_state",
  "event_label",
  "score_min",
  "score_max",
  "language",
  "sentiment",
] as const;

/** Query keys that are filters (sent to the API, carried across pages); others (like `tab`) stay in the page. */
export const FILTER_KEYS = [
  "range",
  "from",
  "to",
  "flag",
  "has_notes",
  "version_id",
  "user_id",
  "model",
  "environment",
  "meta",
  "q",
  "f",
  ...ANALYTICS_KEYS,
] as const;

/**
 * The keys the Sessions list understands: a range, a user, its own search `q` (on ids, so it is not carried), its
 * feedback (a flagged success or failure among its tasks), and the analytics filters (a session matches through
 * its tasks' detections or its own).
 */
export const SESSION_KEYS = ["range", "from", "to", "user_id", "q", "feedback", ...ANALYTICS_KEYS];

export function useSearchParams(): [URLSearchParams, (change: (p: URLSearchParams) => void) => void] {
  const { pathname, search } = useLocation();
  // The API query of a page depends on the zone (days become instants): re-render every page when it changes.
  useZone();
  const params = new URLSearchParams(search);
  const update = (change: (p: URLSearchParams) => void) => {
    const next = new URLSearchParams(search);
    change(next);
    const query = next.toString();
    navigate(query ? `${pathname}?${query}` : pathname, { replace: true });
  };
  return [params, update];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filter part of a query for the API, as a string starting with `?` (or empty), plus extra pairs. */
export function filterQuery(
  params: URLSearchParams,
  extra: Record<string, string | undefined> = {},
  keys: readonly string[] = FILTER_KEYS,
): string {
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    if (!keys.includes(key) || value === "") continue;
    if (key === "from" && DAY.test(value)) out.append(key, String(dayStart(value)));
    else if (key === "to" && DAY.test(value)) out.append(key, String(nextDayStart(value) - 1));
    else out.append(key, value);
  }
  if (keys.includes("range") && !params.has("range") && !params.has("from") && !params.has("to"))
    out.set("range", DEFAULT_RANGE);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) out.set(key, value);
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** The filters of the current URL, to carry onto another page (`?…` or empty). */
export function carryQuery(search: string, keys: readonly string[] = FILTER_KEYS): string {
  const params = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const [key, value] of params) if (keys.includes(key) && key !== "q") out.append(key, value);
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** Whether the URL holds any filter besides the default range. */
export function hasFilters(params: URLSearchParams): boolean {
  return FILTER_KEYS.some((k) => params.has(k));
}

/** `key=value` for the `meta` parameter, escaping `=` and `\` in the key (the server splits at the first bare `=`). */
export function metaPair(key: string, value: string): string {
  return `${key.replace(/[\\=]/g, (c) => `\\${c}`)}=${value}`;
}

/** The inverse of metaPair. */
export function splitMetaPair(pair: string): { key: string; value: string } {
  let key = "";
  for (let i = 0; i < pair.length; i++) {
    const c = pair[i];
    if (c === "\\") key += pair[++i] ?? "";
    else if (c === "=") return { key, value: pair.slice(i + 1) };
    else key += c;
  }
  return { key, value: "" };
}

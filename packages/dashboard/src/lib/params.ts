/**
 * Filters live in the URL query, with the same names the API takes, so the page URL reproduces the view and
 * the API call is the page's query passed through.
 */
import { navigate, useLocation } from "./router";

/** Query keys that are filters (sent to the API); others (like `tab`) stay in the page. */
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
  // Analytics filters (features/analytics/AnalyticsFilter.tsx).
  "event",
  "event_state",
  "event_label",
  "score_min",
  "score_max",
  "language",
  "sentiment",
] as const;

export function useSearchParams(): [URLSearchParams, (change: (p: URLSearchParams) => void) => void] {
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const update = (change: (p: URLSearchParams) => void) => {
    const next = new URLSearchParams(search);
    change(next);
    const query = next.toString();
    navigate(query ? `${pathname}?${query}` : pathname, { replace: true });
  };
  return [params, update];
}

/** The filter part of a query, as a string starting with `?` (or empty), plus extra pairs. */
export function filterQuery(
  params: URLSearchParams,
  extra: Record<string, string | undefined> = {},
  keys: readonly string[] = FILTER_KEYS,
): string {
  const out = new URLSearchParams();
  for (const [key, value] of params) if (keys.includes(key) && value !== "") out.append(key, value);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) out.set(key, value);
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** Task filters by event (present or absent), language and sentiment, kept in the URL like the other filters. */
import { projectPath } from "../../api/client";
import { useSearchParams } from "../../lib/params";
import { useApi } from "../../lib/useApi";
import type { EventsReply } from "./types";

export function AnalyticsFilter({ projectId }: { projectId: string }) {
  const [params, update] = useSearchParams();
  const { data } = useApi<EventsReply>(projectPath(projectId, "/events"));
  const set = (key: string, value: string) =>
    update((p) => {
      if (value === "") p.delete(key);
      else p.set(key, value);
    });
  const active = ["event", "language", "sentiment"].some((key) => params.has(key));
  // Folded by default so that the tasks table keeps its rows on screen; open while one of these filters is set.
  return (
    <details className="analytics-filter" open={active}>
      <summary>Events, language and sentiment</summary>
      <div className="filter-row">
        <label className="field">
          <span>Event</span>
          <select
            aria-label="Event filter"
            value={params.get("event") ?? ""}
            onChange={(e) => set("event", e.target.value)}
          >
            <option value="">any</option>
            {data?.events.map((event) => (
              <option key={event.id} value={event.id}>
                {event.name}
              </option>
            ))}
          </select>
        </label>
        {params.get("event") && (
          <label className="field">
            <span>State</span>
            <select
              aria-label="Event state"
              value={params.get("event_state") ?? "present"}
              onChange={(e) => set("event_state", e.target.value === "present" ? "" : e.target.value)}
            >
              <option value="present">present</option>
              <option value="absent">absent</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>Language</span>
          <input
            aria-label="Language filter"
            size={4}
            placeholder="en"
            defaultValue={params.get("language") ?? ""}
            onBlur={(e) => set("language", e.target.value.trim().toLowerCase())}
          />
        </label>
        <label className="field">
          <span>Sentiment</span>
          <select
            aria-label="Sentiment filter"
            value={params.get("sentiment") ?? ""}
            onChange={(e) => set("sentiment", e.target.value)}
          >
            <option value="">any</option>
            <option value="positive">positive</option>
            <option value="neutral">neutral</option>
            <option value="negative">negative</option>
          </select>
        </label>
      </div>
    </details>
  );
}

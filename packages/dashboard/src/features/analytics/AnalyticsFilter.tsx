/**
 * Task filters by event (present or absent; when present, with a label: a keyword, a regex match or a category,
 * or a score range for a scorer), language and sentiment, kept in the URL like the other filters.
 */
import { useState } from "react";
import { projectPath } from "../../api/client";
import { useSearchParams } from "../../lib/params";
import { useApi } from "../../lib/useApi";
import type { EventDefinition, EventsReply } from "./types";

/** The labels a detector gives, when it has a known list of them. */
function labelsOf(event: EventDefinition): string[] | null {
  if (event.detector === "keywords") return event.config.keywords ?? [];
  if (event.detector === "llm_classifier") return event.config.categories ?? [];
  return null;
}

export function AnalyticsFilter({ projectId }: { projectId: string }) {
  const [params, update] = useSearchParams();
  const { data } = useApi<EventsReply>(projectPath(projectId, "/events"));
  const set = (key: string, value: string) =>
    update((p) => {
      if (value === "") p.delete(key);
      else p.set(key, value);
    });
  const active = ["event", "language", "sentiment"].some((key) => params.has(key));
  // Opened by hand, or opened with filters from the URL, it stays open when its last filter is cleared (it used to
  // fold under the pointer, so that clearing the event hid the language field one was about to fill). The second
  // case cannot rely on the `toggle` event of the first render: it is queued, and may come after the first clear.
  const [opened, setOpened] = useState(active);
  const chosen = data?.events.find((event) => event.id === params.get("event"));
  const present = chosen !== undefined && params.get("event_state") !== "absent";
  const labels = chosen ? labelsOf(chosen) : null;
  const chooseEvent = (id: string) =>
    update((p) => {
      for (const key of ["event", "event_state", "event_label", "score_min", "score_max"]) p.delete(key);
      if (id !== "") p.set("event", id);
    });
  // Folded by default so that the tasks table keeps its rows on screen; open while one of these filters is set.
  return (
    <details
      className="analytics-filter"
      open={active || opened}
      onToggle={(e) => setOpened(e.currentTarget.open)}
    >
      <summary>Events, language and sentiment</summary>
      <div className="filter-row">
        <label className="field">
          <span>Event</span>
          <select
            aria-label="Event filter"
            value={params.get("event") ?? ""}
            onChange={(e) => chooseEvent(e.target.value)}
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
        {present && labels && (
          <label className="field">
            <span>Label</span>
            <select
              aria-label="Event label"
              value={params.get("event_label") ?? ""}
              onChange={(e) => set("event_label", e.target.value)}
            >
              <option value="">any</option>
              {labels.map((label) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        )}
        {present && chosen.detector === "regex" && (
          <label className="field">
            <span>Matched text</span>
            <input
              aria-label="Event label"
              key={`label-${chosen.id}`}
              defaultValue={params.get("event_label") ?? ""}
              onBlur={(e) => set("event_label", e.target.value.trim())}
            />
          </label>
        )}
        {present &&
          chosen.detector === "llm_scorer" &&
          (["score_min", "score_max"] as const).map((key) => (
            <label className="field" key={key}>
              <span>{key === "score_min" ? "Score from" : "to"}</span>
              <select
                aria-label={key === "score_min" ? "Score from" : "Score to"}
                value={params.get(key) ?? ""}
                onChange={(e) => set(key, e.target.value)}
              >
                <option value="">any</option>
                {[1, 2, 3, 4, 5].map((score) => (
                  <option key={score} value={String(score)}>
                    {score}
                  </option>
                ))}
              </select>
            </label>
          ))}
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

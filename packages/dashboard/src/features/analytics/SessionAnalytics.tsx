/** A session's roll-up: most common language and sentiment, average score, session-scope events, tasks per event. */
import { api, projectPath } from "../../api/client";
import { useApi } from "../../lib/useApi";
import { badgeText } from "./EventBadges";
import type { Badge } from "./types";

interface SessionRollup {
  language: string | null;
  sentiment: { average: number | null; label: string | null };
  events: Badge[];
  task_events: Array<{ event_id: string; name: string; tasks: number }>;
}

export function SessionAnalytics({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const { data, reload } = useApi<SessionRollup>(
    projectPath(projectId, `/sessions/${encodeURIComponent(sessionId)}/analytics`),
  );
  if (!data) return null;
  async function review(badge: Badge, action: "confirm" | "remove") {
    await api(projectPath(projectId, `/tasks/${encodeURIComponent(`session:${sessionId}`)}/review`), {
      method: "POST",
      body: { event_id: badge.event_id, action },
    }).catch(() => undefined);
    reload();
  }
  return (
    <section className="card session-analytics">
      <p className="small">
        Language {data.language ?? "–"} · sentiment {data.sentiment.label ?? "–"}
        {data.sentiment.average !== null && ` (average ${data.sentiment.average.toFixed(2)})`}
      </p>
      <p className="event-badges">
        {data.events
          .filter((badge) => badge.present && badge.review !== "removed")
          .map((badge) => (
            <span key={badge.event_id} className="badge event" data-event={badge.name}>
              {badgeText(badge)}{" "}
              <button type="button" className="ghost" onClick={() => void review(badge, "confirm")}>
                ✓
              </button>
              <button type="button" className="ghost" onClick={() => void review(badge, "remove")}>
                ✕
              </button>
            </span>
          ))}
        {data.task_events.map((event) => (
          <span key={event.event_id} className="badge event" data-event={event.name}>
            {event.name} × {event.tasks}
          </span>
        ))}
      </p>
    </section>
  );
}

/**
 * A session's roll-up (most common language and sentiment, average score, tasks per event) and the review of its
 * session-scope detections, with the same confirm / remove / correct as a task's.
 */
import { projectPath } from "../../api/client";
import { useApi } from "../../lib/useApi";
import { TaskReview } from "./TaskReview";
import type { Badge } from "./types";

interface SessionRollup {
  language: string | null;
  sentiment: { average: number | null; label: string | null };
  events: Badge[];
  task_events: Array<{ event_id: string; name: string; tasks: number }>;
}

export function SessionAnalytics({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const { data } = useApi<SessionRollup>(
    projectPath(projectId, `/sessions/${encodeURIComponent(sessionId)}/analytics`),
  );
  if (!data) return null;
  return (
    <>
      <section className="card session-analytics">
        <p className="small">
          Language {data.language ?? "–"} · sentiment {data.sentiment.label ?? "–"}
          {data.sentiment.average !== null && ` (average ${data.sentiment.average.toFixed(2)})`}
        </p>
        <p className="event-badges">
          {data.task_events.map((event) => (
            <span key={event.event_id} className="badge event" data-event={event.name}>
              {event.name} × {event.tasks}
            </span>
          ))}
        </p>
      </section>
      <TaskReview projectId={projectId} taskId={`session:${sessionId}`} heading="Session events" />
    </>
  );
}

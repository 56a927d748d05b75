/**
 * A session's badges in the sessions list: its own (session-scope) detections as a task's badges are shown, then
 * each event found on its tasks with how many of them have it, then the most common language and sentiment.
 */
import { EventBadges } from "./EventBadges";
import type { SessionAnalytics } from "./types";

export function SessionBadges({ analytics }: { analytics: SessionAnalytics }) {
  const { language, sentiment, events, task_events } = analytics;
  return (
    <span className="session-badges">
      {events.length > 0 && (
        <EventBadges analytics={{ language: null, sentiment: null, events }} withText={false} />
      )}
      {task_events.length > 0 && (
        <span className="event-badges">
          {task_events.map((event) => (
            <span
              key={event.event_id}
              className="badge event tasks"
              data-task-event={event.name}
              title={`${event.tasks} task${event.tasks === 1 ? "" : "s"} of the session`}
            >
              {event.name} × {event.tasks}
            </span>
          ))}
        </span>
      )}
      {(language || sentiment.label) && (
        <span className="event-badges">
          {language && <span className="badge lang">{language}</span>}
          {sentiment.label && (
            <span
              className={`badge sentiment ${sentiment.label}`}
              title={sentiment.average === null ? undefined : `average ${sentiment.average.toFixed(2)}`}
            >
              {sentiment.label}
            </span>
          )}
        </span>
      )}
    </span>
  );
}

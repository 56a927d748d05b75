/** Event badges of a task (or session): the label or score of each present detection; language and sentiment. */
import type { Badge, TaskAnalytics } from "./types";

export function badgeText(badge: Badge): string {
  const score = badge.corrected_score ?? badge.score;
  const label = badge.corrected_label ?? badge.label;
  if (badge.detector === "llm_scorer" && score !== null) return `${badge.name}: ${score}`;
  if (badge.detector === "llm_classifier" && label) return `${badge.name}: ${label}`;
  return badge.name;
}

export function EventBadges({
  analytics,
  withText = true,
}: {
  analytics: TaskAnalytics;
  withText?: boolean;
}) {
  const shown = analytics.events.filter(
    (badge) => (badge.present && badge.review !== "removed") || badge.review === "corrected",
  );
  return (
    <span className="event-badges">
      {shown.map((badge) => (
        <span
          key={badge.event_id}
          className={`badge event ${badge.review ?? ""}`}
          data-event={badge.name}
          title={`confidence ${badge.confidence}${badge.review ? `, ${badge.review}` : ""}`}
        >
          {badgeText(badge)}
        </span>
      ))}
      {withText && analytics.language && <span className="badge lang">{analytics.language}</span>}
      {withText && analytics.sentiment && (
        <span className={`badge sentiment ${analytics.sentiment.label}`}>{analytics.sentiment.label}</span>
      )}
    </span>
  );
}

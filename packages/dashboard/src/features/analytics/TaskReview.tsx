/**
 * The analytics panel of a task (or of a session, with `session:{id}`): every detection with confirm / remove /
 * correct: "Missed" for a yes/no event not detected, the right category for a classifier, the right score for a
 * scorer.
 */
import { useState } from "react";
import { api, projectPath } from "../../api/client";
import { useApi } from "../../lib/useApi";
import { badgeText } from "./EventBadges";
import type { Badge, EventsReply, TaskAnalytics } from "./types";

/** A classifier's categories or a scorer's scores, to pick the right one from. */
function Correction({
  badge,
  categories,
  onCorrect,
}: {
  badge: Badge;
  categories: string[];
  onCorrect: (extra: Record<string, unknown>) => void;
}) {
  const scorer = badge.detector === "llm_scorer";
  const choices = scorer ? ["1", "2", "3", "4", "5"] : [...categories, "none"];
  const current = scorer
    ? String(badge.corrected_score ?? badge.score ?? "")
    : (badge.corrected_label ?? badge.label ?? "none");
  const [value, setValue] = useState(choices.includes(current) ? current : (choices[0] ?? ""));
  return (
    <>
      <select
        aria-label={scorer ? "Correct score" : "Correct label"}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      >
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>{" "}
      <button type="button" onClick={() => onCorrect(scorer ? { score: Number(value) } : { label: value })}>
        Correct
      </button>
    </>
  );
}

/** What the review says, with the corrected answer when there is one. */
function reviewText(badge: Badge): string {
  if (badge.review !== "corrected") return badge.review ?? "not reviewed";
  if (badge.corrected_score !== null) return `corrected → ${badge.corrected_score}`;
  if (badge.corrected_label !== null) return `corrected → ${badge.corrected_label}`;
  return "corrected";
}

export function TaskReview({
  projectId,
  taskId,
  heading = "Events",
}: {
  projectId: string;
  /** A task id, or `session:{sessionId}` for the session-scope events of a session. */
  taskId: string;
  heading?: string;
}) {
  const path = projectPath(projectId, `/tasks/${encodeURIComponent(taskId)}/analytics`);
  const { data, reload } = useApi<TaskAnalytics>(path);
  const definitions = useApi<EventsReply>(projectPath(projectId, "/events"));
  const [error, setError] = useState<string | null>(null);
  const session = taskId.startsWith("session:");

  async function review(
    badge: Badge,
    action: "confirm" | "remove" | "correct",
    extra: Record<string, unknown> = {},
  ) {
    setError(null);
    try {
      await api(projectPath(projectId, `/tasks/${encodeURIComponent(taskId)}/review`), {
        method: "POST",
        body: { event_id: badge.event_id, action, ...extra },
      });
      reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  if (!data || (session && data.events.length === 0)) return null;
  const categoriesOf = (eventId: string) =>
    definitions.data?.events.find((event) => event.id === eventId)?.config.categories ?? [];
  return (
    <section className="card analytics-review">
      <h2>{heading}</h2>
      {!session && (
        <p className="muted small">
          Language {data.language ?? "–"} · sentiment{" "}
          {data.sentiment ? `${data.sentiment.label} (${data.sentiment.score.toFixed(2)})` : "–"}
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {data.events.length === 0 && <p className="muted">No detection yet.</p>}
      <table className="data">
        <tbody>
          {data.events.map((badge) => (
            <tr key={badge.event_id} data-review-event={badge.name}>
              <td>
                {badge.present ? badgeText(badge) : <span className="muted">{badge.name}: not detected</span>}
              </td>
              <td className="muted small" data-review-state>
                {reviewText(badge)}
              </td>
              <td className="actions nowrap">
                <button type="button" onClick={() => void review(badge, "confirm")}>
                  Confirm
                </button>
                {badge.present && (
                  <button type="button" onClick={() => void review(badge, "remove")}>
                    Remove
                  </button>
                )}{" "}
                {badge.detector === "llm_scorer" || badge.detector === "llm_classifier" ? (
                  <Correction
                    badge={badge}
                    categories={categoriesOf(badge.event_id)}
                    onCorrect={(extra) => void review(badge, "correct", extra)}
                  />
                ) : (
                  !badge.present && (
                    <button type="button" onClick={() => void review(badge, "correct")}>
                      Missed
                    </button>
                  )
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

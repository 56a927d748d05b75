/** The task detail's analytics panel: every detection with confirm / remove / correct. */
import { useState } from "react";
import { api, projectPath } from "../../api/client";
import { useApi } from "../../lib/useApi";
import { badgeText } from "./EventBadges";
import type { Badge, TaskAnalytics } from "./types";

export function TaskReview({ projectId, taskId }: { projectId: string; taskId: string }) {
  const path = projectPath(projectId, `/tasks/${encodeURIComponent(taskId)}/analytics`);
  const { data, reload } = useApi<TaskAnalytics>(path);
  const [error, setError] = useState<string | null>(null);

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

  if (!data) return null;
  return (
    <section className="card analytics-review">
      <h2>Events</h2>
      <p className="muted small">
        Language {data.language ?? "–"} · sentiment{" "}
        {data.sentiment ? `${data.sentiment.label} (${data.sentiment.score.toFixed(2)})` : "–"}
      </p>
      {error && <p className="error">{error}</p>}
      {data.events.length === 0 && <p className="muted">No detection yet.</p>}
      <table className="data">
        <tbody>
          {data.events.map((badge) => (
            <tr key={badge.event_id} data-review-event={badge.name}>
              <td>
                {badge.present ? badgeText(badge) : <span className="muted">{badge.name}: not detected</span>}
              </td>
              <td className="muted small">{badge.review ?? "not reviewed"}</td>
              <td className="actions nowrap">
                <button type="button" onClick={() => void review(badge, "confirm")}>
                  Confirm
                </button>
                {badge.present ? (
                  <button type="button" onClick={() => void review(badge, "remove")}>
                    Remove
                  </button>
                ) : (
                  badge.detector !== "llm_scorer" &&
                  badge.detector !== "llm_classifier" && (
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

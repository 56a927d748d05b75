/** The overview's analytics: events over time, event rates per version, and the judge's agreement with humans. */
import { projectPath } from "../../api/client";
import { formatCount } from "../../lib/format";
import { useApi } from "../../lib/useApi";
import { percent } from "./format";
import type { EventRate, JudgeReply } from "./types";

export function AnalyticsOverview({ projectId, query }: { projectId: string; query: string }) {
  const rates = useApi<{ rates: EventRate[] }>(projectPath(projectId, `/analytics/event-rates${query}`));
  const days = useApi<{ days: Array<{ event_id: string; name: string; day: number; count: number }> }>(
    projectPath(projectId, `/analytics/events-over-time${query}`),
  );
  const judge = useApi<JudgeReply>(projectPath(projectId, "/analytics/judge"));
  const events = [...new Map((rates.data?.rates ?? []).map((r) => [r.event_id, r.name])).entries()];
  const versions = [...new Set((rates.data?.rates ?? []).map((r) => r.version_id))];
  const dayList = [...new Set((days.data?.days ?? []).map((d) => d.day))].sort((a, b) => a - b);
  if (events.length === 0 && !judge.data?.settings.enabled) return null;
  return (
    <div className="chart-grid analytics-overview">
      <section className="card">
        <h2>Event rates per version</h2>
        <table className="data">
          <thead>
            <tr>
              <th>Version</th>
              {events.map(([id, name]) => (
                <th key={id} className="num">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version ?? "none"}>
                <td>{version ?? <span className="muted">no version</span>}</td>
                {events.map(([id]) => {
                  const cell = rates.data?.rates.find((r) => r.version_id === version && r.event_id === id);
                  return (
                    <td key={id} className="num" title={cell ? `${cell.detected} of ${cell.analysed}` : ""}>
                      {percent(cell?.rate)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {judge.data && judge.data.agreement.n > 0 && (
          <p className="small">
            Judge agrees with human flags on {percent(judge.data.agreement.rate)} of{" "}
            {formatCount(judge.data.agreement.n)} tasks.
          </p>
        )}
      </section>
      <section className="card">
        <h2>Events over time</h2>
        <table className="data">
          <thead>
            <tr>
              <th>Day (UTC)</th>
              {events.map(([id, name]) => (
                <th key={id} className="num">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dayList.map((day) => (
              <tr key={day}>
                <td>{new Date(day).toISOString().slice(0, 10)}</td>
                {events.map(([id]) => (
                  <td key={id} className="num">
                    {formatCount(days.data?.days.find((d) => d.day === day && d.event_id === id)?.count ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

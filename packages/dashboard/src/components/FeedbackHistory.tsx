import type { FeedbackEntry } from "../api/types";
import { formatTime } from "../lib/format";

function describe(entry: FeedbackEntry): string {
  if (entry.kind === "notes") return "notes edited";
  if (entry.kind === "flag_removed") return "flag removed";
  return `${entry.kind === "human_eval" ? "human eval" : "flag"}: ${entry.value ?? "–"}`;
}

export function FeedbackHistory({ entries }: { entries: FeedbackEntry[] }) {
  if (entries.length === 0) return <p className="muted">No feedback yet.</p>;
  return (
    <table className="data compact feedback-history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Feedback</th>
          <th>Source</th>
          <th>Notes</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} className={e.applied ? "" : "muted"}>
            <td className="nowrap">{formatTime(e.created_at)}</td>
            <td className={`nowrap ${e.value === "success" ? "good" : e.value === "failure" ? "bad" : ""}`}>
              {describe(e)}
            </td>
            <td>{e.source ?? "–"}</td>
            <td className="text-cell">{e.notes ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

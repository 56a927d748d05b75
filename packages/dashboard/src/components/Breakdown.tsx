/** A breakdown table (by model or by version): count with a proportional bar, success rate, tokens, latency; a row opens its tasks. */
import type { Breakdown as BreakdownRow } from "../api/types";
import { formatCount, formatDuration, formatRate } from "../lib/format";

export function Breakdown({
  title,
  rows,
  empty,
  onOpen,
}: {
  title: string;
  rows: BreakdownRow[];
  empty: string;
  /** Opens the tasks of a row (rows without a key have no filter to open). */
  onOpen?: (key: string) => void;
}) {
  const max = Math.max(1, ...rows.map((r) => r.tasks));
  return (
    <section className="card">
      <h2>{title}</h2>
      <table className="data compact breakdown">
        <thead>
          <tr>
            <th>{empty === "no model" ? "Model" : "Version"}</th>
            <th>Tasks</th>
            <th className="num">Success rate</th>
            <th className="num">Tokens</th>
            <th className="num">Avg latency</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key ?? "∅"}>
              <td className="mono">
                {r.key === null ? (
                  <span className="muted">{empty}</span>
                ) : onOpen ? (
                  <button type="button" className="link-button" onClick={() => onOpen(r.key ?? "")}>
                    {r.key}
                  </button>
                ) : (
                  r.key
                )}
              </td>
              <td>
                <div className="bar-cell">
                  <div className="bar" style={{ width: `${(r.tasks / max) * 100}%` }} />
                  <span>{formatCount(r.tasks)}</span>
                </div>
              </td>
              <td className="num">{formatRate(r.success_rate)}</td>
              <td className="num">{formatCount(r.tokens)}</td>
              <td className="num">{formatDuration(r.avg_latency_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

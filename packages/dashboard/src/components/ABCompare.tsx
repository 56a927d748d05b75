/** A/B: two (or more) versions side by side over the same filters. */
import { useState } from "react";
import { projectPath } from "../api/client";
import type { VersionStats } from "../api/types";
import { formatCount, formatDuration, formatRate } from "../lib/format";
import { filterQuery } from "../lib/params";
import { useApi } from "../lib/useApi";

const ROWS: Array<[string, (v: VersionStats) => string]> = [
  ["Sample size (tasks)", (v) => formatCount(v.tasks)],
  ["Flagged", (v) => formatCount(v.success + v.failure)],
  ["Success rate", (v) => formatRate(v.success_rate)],
  ["Latency p50", (v) => formatDuration(v.latency_p50_ms)],
  ["Latency p95", (v) => formatDuration(v.latency_p95_ms)],
  ["Avg tokens per task", (v) => formatCount(v.avg_tokens)],
  ["Total tokens", (v) => formatCount(v.tokens)],
];

export function ABCompare({
  projectId,
  versions,
  params,
}: {
  projectId: string;
  versions: string[];
  params: URLSearchParams;
}) {
  const [a, setA] = useState(versions[0] ?? "");
  const [b, setB] = useState(versions[1] ?? "");
  const chosen = [...new Set([a, b].filter(Boolean))];
  const { data, error } = useApi<{ versions: VersionStats[] }>(
    chosen.length > 0
      ? projectPath(
          projectId,
          `/ab${filterQuery(params, { versions: chosen.join(","), version_id: undefined })}`,
        )
      : null,
  );
  if (versions.length < 2) {
    return (
      <section className="card ab">
        <h2>A/B comparison</h2>
        <p className="muted" data-testid="ab-needs-two">
          {versions.length === 0
            ? "Log tasks with a version_id to compare versions."
            : `Only one version (${versions[0] ?? ""}) in this range: log a second version_id to compare.`}
        </p>
      </section>
    );
  }
  return (
    <section className="card ab">
      <h2>A/B comparison</h2>
      <div className="row">
        {[
          ["A", a, setA],
          ["B", b, setB],
        ].map(([label, value, set]) => (
          <label key={label as string} className="field inline">
            <span>Version {label as string}</span>
            <select value={value as string} onChange={(e) => (set as (v: string) => void)(e.target.value)}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {error && <p className="error">{error.detail}</p>}
      {data && (
        <table className="data compact ab-table">
          <thead>
            <tr>
              <th />
              {data.versions.map((v) => (
                <th key={v.version_id} className="num mono">
                  {v.version_id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([label, get]) => (
              <tr key={label}>
                <th>{label}</th>
                {data.versions.map((v) => (
                  <td key={v.version_id} className="num">
                    {get(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A/B: versions side by side with 95 % intervals, and which differences are significant. */
import { useState, type FormEvent } from "react";
import { projectPath } from "../../api/client";
import { formatDuration } from "../../lib/format";
import { useSearchParams } from "../../lib/params";
import { useApi } from "../../lib/useApi";
import { interval, percent, pValue } from "./format";
import type { CompareReply } from "./types";

function Verdict({ test }: { test: { p_value: number; significant: boolean; n: [number, number] } | null }) {
  if (!test) return <span className="muted">–</span>;
  return (
    <span className={test.significant ? "good" : "muted"} data-significant={test.significant}>
      {test.significant ? "significant" : "not significant"} ({pValue(test.p_value)}, n = {test.n[0]} /{" "}
      {test.n[1]})
    </span>
  );
}

export function AbComparePage({ projectId }: { projectId: string }) {
  const [params, update] = useSearchParams();
  const versions = params.get("versions") ?? "";
  const [draft, setDraft] = useState(versions);
  const query = new URLSearchParams({ versions, range: params.get("range") ?? "all" });
  const { data, error } = useApi<CompareReply>(
    versions.includes(",") ? projectPath(projectId, `/ab/compare?${query.toString()}`) : null,
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    update((p) => p.set("versions", draft));
  }

  return (
    <div className="page ab-page">
      <div className="page-head">
        <h1>A/B comparison</h1>
      </div>
      <form className="filter-row" onSubmit={submit}>
        <label className="field">
          <span>Versions (baseline first, comma separated)</span>
          <input
            aria-label="Versions"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="v1,v2"
          />
        </label>
        <button type="submit">Compare</button>
      </form>
      {error && <p className="error">{error.detail}</p>}
      {data && (
        <>
          <table className="data ab-table">
            <thead>
              <tr>
                <th>Version</th>
                <th className="num">Tasks</th>
                <th className="num">Success rate</th>
                <th>95 % interval</th>
                <th className="num">Latency median</th>
                <th className="num">Latency p95</th>
                <th className="num">Mean tokens</th>
                <th>Event rates</th>
              </tr>
            </thead>
            <tbody>
              {data.versions.map((v) => (
                <tr key={v.version_id} data-version={v.version_id}>
                  <td>{v.version_id}</td>
                  <td className="num">{v.tasks}</td>
                  <td className="num">
                    {percent(v.success_rate)}{" "}
                    <span className="muted small">
                      ({v.successes}/{v.flagged} flagged)
                    </span>
                  </td>
                  <td data-interval>{interval(v.success_interval)}</td>
                  <td className="num">{formatDuration(v.latency.median)}</td>
                  <td className="num">{formatDuration(v.latency.p95)}</td>
                  <td className="num">
                    {v.tokens.mean_total === null ? "–" : v.tokens.mean_total.toFixed(0)}
                  </td>
                  <td className="small">
                    {v.events.map((e) => (
                      <div key={e.event_id}>
                        {e.name}: {percent(e.rate)} <span className="muted">[{interval(e.interval)}]</span>
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.comparisons.map((c) => (
            <section key={c.version_id} className="card" data-comparison={c.version_id}>
              <h2>
                {c.version_id} against {c.baseline}
              </h2>
              <p>
                Success rate:{" "}
                {c.success_rate ? (
                  <>
                    {c.success_rate.difference >= 0 ? "+" : ""}
                    {percent(c.success_rate.difference)} [{interval(c.success_rate.interval)}]{" "}
                    <Verdict test={c.success_rate} />
                  </>
                ) : (
                  <span className="muted">no flagged tasks on one side</span>
                )}
              </p>
              <p>
                Latency (Mann–Whitney):{" "}
                {c.latency?.median_difference !== null && c.latency?.median_difference !== undefined
                  ? `median ${c.latency.median_difference >= 0 ? "+" : ""}${formatDuration(c.latency.median_difference)} `
                  : ""}
                <Verdict test={c.latency} />
              </p>
              {c.events.map((e) => {
                const name =
                  data.versions[0]?.events.find((row) => row.event_id === e.event_id)?.name ?? e.event_id;
                return (
                  <p key={e.event_id} className="small">
                    {name}:{" "}
                    {e.test ? `${e.test.difference >= 0 ? "+" : ""}${percent(e.test.difference)} ` : ""}
                    <Verdict test={e.test} />
                  </p>
                );
              })}
            </section>
          ))}
          <p className="muted small">Significant: p &lt; {data.alpha} (two-sided).</p>
        </>
      )}
    </div>
  );
}

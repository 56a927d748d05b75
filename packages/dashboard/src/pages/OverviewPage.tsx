/** Overview: totals, per-day charts, latency percentiles, breakdowns by model and version, A/B comparison. */
import { projectPath } from "../api/client";
import type { Overview } from "../api/types";
import { ABCompare } from "../components/ABCompare";
import { Breakdown } from "../components/Breakdown";
import { fillDays, LatencyChart, OutcomeChart, TokensChart, VolumeChart } from "../components/Charts";
import { EmptyState } from "../components/EmptyState";
import { ExportButtons } from "../components/ExportButtons";
import { FilterBar } from "../components/FilterBar";
import { Stat } from "../components/Stat";
import { FeedbackCounts } from "../components/Thumb";
import { formatCount, formatDuration, formatRate, formatCost } from "../lib/format";
import { filterQuery, FILTER_KEYS, useSearchParams } from "../lib/params";
import { useApi } from "../lib/useApi";
import { useLatest } from "../lib/useLatest";

/** The overview reads every task of its range; a week keeps it quick on large projects. "All time" is one click. */
const DEFAULT_RANGE = "7d";

export function OverviewPage({ projectId }: { projectId: string }) {
  const [params] = useSearchParams();
  const { latest, loaded } = useLatest(projectId, 10_000);
  const effective = new URLSearchParams(params);
  if (!params.has("range") && !params.has("from") && !params.has("to")) effective.set("range", DEFAULT_RANGE);
  const { data, error } = useApi<Overview>(projectPath(projectId, `/overview${filterQuery(effective)}`));
  const hasFilters = FILTER_KEYS.some((k) => params.has(k));
  if (loaded && latest === null && !hasFilters) return <EmptyState projectId={projectId} />;
  const days = fillDays(data?.days ?? []);
  const t = data?.totals;
  const versions = (data?.byVersion ?? []).map((v) => v.key).filter((k): k is string => k !== null);

  return (
    <div className="page overview">
      <div className="page-head">
        <h1>Overview</h1>
        <ExportButtons projectId={projectId} params={effective} />
      </div>
      <FilterBar projectId={projectId} defaultRange={DEFAULT_RANGE} />
      {error && <p className="error">{error.detail}</p>}
      {t && (
        <div className="stats">
          <Stat label="Tasks" value={formatCount(t.tasks)} />
          <Stat label="Sessions" value={formatCount(t.sessions)} />
          <Stat label="Users" value={formatCount(t.users)} />
          <Stat
            label="Success rate"
            value={formatRate(t.success_rate)}
            hint={<FeedbackCounts success={t.success} failure={t.failure} />}
          />
          <Stat label="Failure rate" value={t.success_rate === null ? "–" : formatRate(1 - t.success_rate)} />
          <Stat label="Tokens" value={formatCount(t.tokens)} />
          <Stat label="Cost" value={formatCost(t.cost_usd)} />
          <Stat label="Latency p50" value={formatDuration(t.latency_p50_ms)} />
          <Stat label="Latency p95" value={formatDuration(t.latency_p95_ms)} />
        </div>
      )}
      {data && (
        <>
          <div className="chart-grid">
            <VolumeChart days={days} />
            <OutcomeChart days={days} />
            <TokensChart days={days} />
            <LatencyChart days={days} />
          </div>
          <div className="chart-grid">
            <Breakdown title="By model" rows={data.byModel} empty="no model" />
            <Breakdown title="By version" rows={data.byVersion} empty="no version" />
          </div>
          <ABCompare
            key={versions.slice(0, 2).join(",")}
            projectId={projectId}
            versions={versions}
            params={effective}
          />
        </>
      )}
    </div>
  );
}

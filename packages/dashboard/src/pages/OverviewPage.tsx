/**
 * Overview: totals, charts over the whole range in the page's zone (hour or day buckets), latency percentiles,
 * breakdowns by model and version, A/B comparison. Bars, points and breakdown rows open the tasks behind them.
 */
import { projectPath } from "../api/client";
import type { Overview } from "../api/types";
import { ABCompare } from "../components/ABCompare";
import { Breakdown } from "../components/Breakdown";
import { LatencyChart, OutcomeChart, TokensChart, VolumeChart } from "../components/Charts";
import { EmptyState } from "../components/EmptyState";
import { ExportButtons } from "../components/ExportButtons";
import { FilterBar } from "../components/FilterBar";
import { AnalyticsOverview } from "../features/analytics";
import { Stat } from "../components/Stat";
import { FeedbackCounts } from "../components/Thumb";
import { apiBucket, buildBuckets, spanOf, type Bucket } from "../lib/buckets";
import { formatCount, formatDuration, formatRate, formatCost } from "../lib/format";
import { carryQuery, DEFAULT_RANGE, filterQuery, hasFilters, useSearchParams } from "../lib/params";
import { navigate, useLocation } from "../lib/router";
import { useZone, zoneName } from "../lib/time";
import { useApi } from "../lib/useApi";
import { useLatest } from "../lib/useLatest";
import { useTitle } from "../lib/useTitle";

export function OverviewPage({ projectId }: { projectId: string }) {
  useTitle("Overview");
  const [params] = useSearchParams();
  const { search } = useLocation();
  const zone = useZone();
  const { latest, loaded } = useLatest(projectId, 10_000);
  const span = spanOf(params, DEFAULT_RANGE);
  const bucket = apiBucket(span, zone);
  const { data, error } = useApi<Overview>(projectPath(projectId, `/overview${filterQuery(params, bucket)}`));
  if (loaded && latest === null && !hasFilters(params)) return <EmptyState projectId={projectId} />;
  const buckets = data ? buildBuckets(data.days, span, zone, bucket.bucket === "day") : [];
  const unit = buckets.length > 0 && buckets[0]?.day === undefined ? "hour" : "day";
  const t = data?.totals;
  const versions = (data?.byVersion ?? []).map((v) => v.key).filter((k): k is string => k !== null);
  const base = `/projects/${encodeURIComponent(projectId)}`;

  /** The tasks page with the current filters, plus `change`. */
  function openTasks(change: (p: URLSearchParams) => void) {
    const p = new URLSearchParams(carryQuery(search));
    change(p);
    navigate(`${base}/tasks?${p.toString()}`);
  }
  const openBucket = (b: Bucket) =>
    openTasks((p) => {
      p.delete("range");
      p.set("from", b.day ?? String(b.from));
      p.set("to", b.day ?? String(b.to));
    });

  return (
    <div className="page overview">
      <div className="page-head">
        <h1>Overview</h1>
        <ExportButtons projectId={projectId} params={params} />
      </div>
      <FilterBar projectId={projectId} />
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
          <p className="muted small chart-note" data-buckets={buckets.length} data-unit={unit}>
            {unit === "hour" ? "Hourly" : "Daily"} buckets in {zoneName(zone)}. Click a bar to see its tasks.
          </p>
          <div className="chart-grid">
            <VolumeChart buckets={buckets} unit={unit} onOpen={openBucket} />
            <OutcomeChart buckets={buckets} unit={unit} onOpen={openBucket} />
            <TokensChart buckets={buckets} unit={unit} onOpen={openBucket} />
            <LatencyChart buckets={buckets} unit={unit} onOpen={openBucket} />
          </div>
          <div className="chart-grid">
            <Breakdown
              title="By model"
              rows={data.byModel}
              empty="no model"
              onOpen={(key) => openTasks((p) => p.set("model", key))}
            />
            <Breakdown
              title="By version"
              rows={data.byVersion}
              empty="no version"
              onOpen={(key) => openTasks((p) => p.set("version_id", key))}
            />
          </div>
          <AnalyticsOverview projectId={projectId} query={filterQuery(params)} />
          <ABCompare
            key={versions.slice(0, 2).join(",")}
            projectId={projectId}
            versions={versions}
            params={params}
          />
        </>
      )}
    </div>
  );
}

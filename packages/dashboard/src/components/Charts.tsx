/**
 * The overview's charts (recharts) over buckets that span the whole range (lib/buckets.ts). A click on a bar
 * or point opens the tasks of that bucket. An empty range says so instead of drawing a bare grid.
 */
import { useState } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Bucket } from "../lib/buckets";
import { formatCompact, formatCount } from "../lib/format";

function ChartCard(props: {
  title: string;
  empty: boolean;
  children: React.ReactElement;
  after?: React.ReactNode;
}) {
  return (
    <section className="card chart">
      <h2>{props.title}</h2>
      <div className="chart-box">
        {props.empty ? (
          <p className="no-data muted">No data in this range.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            {props.children}
          </ResponsiveContainer>
        )}
      </div>
      {!props.empty && props.after}
    </section>
  );
}

/** The numbers behind the volume chart, as a table a screen reader (or a test) can read; built when opened. */
function BucketTable({ buckets, unit }: { buckets: Bucket[]; unit: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="chart-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show as a table</summary>
      {open && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`Tasks and sessions per ${unit}`}>
          <table className="data compact">
            <thead>
              <tr>
                <th>{unit === "hour" ? "Hour" : "Day"}</th>
                <th className="num">Tasks</th>
                <th className="num">Sessions</th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.from} data-day={b.day} data-from={b.from}>
                  <td>{b.day ?? b.label}</td>
                  <td className="num">{formatCount(b.tasks)}</td>
                  <td className="num">{formatCount(b.sessions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

const axis = { fontSize: 11, fill: "var(--muted)" };
const grid = <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" />;
const tooltipStyle = { contentStyle: { background: "var(--card)", border: "1px solid var(--line)" } };

interface ChartProps {
  buckets: Bucket[];
  unit: string;
  onOpen: (bucket: Bucket) => void;
}

/** recharts passes the clicked datum as `payload` on a bar, or the active index on the chart. */
function clickHandler(buckets: Bucket[], onOpen: (b: Bucket) => void) {
  return (state: unknown) => {
    const index = (state as { activeTooltipIndex?: number | string | null } | null)?.activeTooltipIndex;
    const b = index === undefined || index === null ? undefined : buckets[Number(index)];
    if (b && b.tasks > 0) onOpen(b);
  };
}

/** A bar's own click: recharts passes the bar's index. */
function barClick(buckets: Bucket[], onOpen: (b: Bucket) => void) {
  return (_data: unknown, index: number) => {
    const b = buckets[index];
    if (b && b.tasks > 0) onOpen(b);
  };
}

const empty = (buckets: Bucket[]) => buckets.every((b) => b.tasks === 0);

/** Tasks as bars and the sessions started in each bucket as a line, in hour and day buckets alike. */
export function VolumeChart({ buckets, unit, onOpen }: ChartProps) {
  return (
    <ChartCard
      title={`Tasks and sessions per ${unit}`}
      empty={empty(buckets)}
      after={<BucketTable buckets={buckets} unit={unit} />}
    >
      <ComposedChart data={buckets} onClick={clickHandler(buckets, onOpen)} className="clickable-chart">
        {grid}
        <XAxis dataKey="label" tick={axis} minTickGap={12} />
        <YAxis tick={axis} allowDecimals={false} tickFormatter={formatCompact} width={44} />
        <Tooltip {...tooltipStyle} />
        <Legend />
        <Bar
          dataKey="tasks"
          name="Tasks"
          fill="var(--accent)"
          cursor="pointer"
          onClick={barClick(buckets, onOpen)}
        />
        <Line
          type="monotone"
          dataKey="sessions"
          name="Sessions started"
          stroke="#7c3aed"
          dot={false}
          className="sessions-series"
        />
      </ComposedChart>
    </ChartCard>
  );
}

export function OutcomeChart({ buckets, unit, onOpen }: ChartProps) {
  return (
    <ChartCard title={`Success and failure per ${unit}`} empty={empty(buckets)}>
      <BarChart data={buckets} onClick={clickHandler(buckets, onOpen)} className="clickable-chart">
        {grid}
        <XAxis dataKey="label" tick={axis} minTickGap={12} />
        <YAxis tick={axis} allowDecimals={false} tickFormatter={formatCompact} width={44} />
        <Tooltip {...tooltipStyle} />
        <Legend />
        <Bar
          dataKey="success"
          name="Success"
          stackId="flag"
          fill="var(--good)"
          cursor="pointer"
          onClick={barClick(buckets, onOpen)}
        />
        <Bar
          dataKey="failure"
          name="Failure"
          stackId="flag"
          fill="var(--bad)"
          cursor="pointer"
          onClick={barClick(buckets, onOpen)}
        />
      </BarChart>
    </ChartCard>
  );
}

export function TokensChart({ buckets, unit, onOpen }: ChartProps) {
  return (
    <ChartCard title={`Tokens per ${unit}`} empty={empty(buckets)}>
      <AreaChart data={buckets} onClick={clickHandler(buckets, onOpen)} className="clickable-chart">
        {grid}
        <XAxis dataKey="label" tick={axis} minTickGap={12} />
        <YAxis tick={axis} tickFormatter={formatCompact} width={44} />
        <Tooltip {...tooltipStyle} />
        <Area type="monotone" dataKey="tokens" name="Tokens" stroke="#0891b2" fill="#a5f3fc" />
      </AreaChart>
    </ChartCard>
  );
}

export function LatencyChart({ buckets, unit, onOpen }: ChartProps) {
  const data = buckets.map((b) => ({
    ...b,
    latency: b.avg_latency_ms === null ? null : Math.round(b.avg_latency_ms),
  }));
  return (
    <ChartCard title={`Average latency per ${unit} (ms)`} empty={empty(buckets)}>
      <LineChart data={data} onClick={clickHandler(buckets, onOpen)} className="clickable-chart">
        {grid}
        <XAxis dataKey="label" tick={axis} minTickGap={12} />
        <YAxis tick={axis} tickFormatter={formatCompact} width={44} />
        <Tooltip {...tooltipStyle} />
        <Line
          type="monotone"
          dataKey="latency"
          name="Latency (ms)"
          stroke="#d97706"
          connectNulls
          dot={false}
        />
      </LineChart>
    </ChartCard>
  );
}

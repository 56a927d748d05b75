/** The overview's charts (recharts), each over the per-day series the API returns. */
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Overview } from "../api/types";

type Day = Overview["days"][number];

const DAY_MS = 86_400_000;

/** Adds zero days between the first and last day so gaps show as gaps. */
export function fillDays(days: Day[]): Day[] {
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return days;
  const byDay = new Map(days.map((d) => [d.day, d]));
  const out: Day[] = [];
  for (let t = Date.parse(first.day); t <= Date.parse(last.day); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(
      byDay.get(day) ?? {
        day,
        tasks: 0,
        sessions: 0,
        success: 0,
        failure: 0,
        success_rate: null,
        tokens: 0,
        avg_latency_ms: null,
        cost_usd: 0,
        cost_tasks: 0,
      },
    );
  }
  return out;
}

function ChartCard({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <section className="card chart">
      <h2>{title}</h2>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </section>
  );
}

const axis = { fontSize: 11, stroke: "#6b7280" };

export function VolumeChart({ days }: { days: Day[] }) {
  return (
    <ChartCard title="Tasks and sessions per day">
      <BarChart data={days}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tick={axis} />
        <YAxis tick={axis} allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="tasks" name="Tasks" fill="#4f46e5" />
        <Bar dataKey="sessions" name="Sessions" fill="#a5b4fc" />
      </BarChart>
    </ChartCard>
  );
}

export function OutcomeChart({ days }: { days: Day[] }) {
  return (
    <ChartCard title="Success and failure per day">
      <BarChart data={days}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tick={axis} />
        <YAxis tick={axis} allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="success" name="Success" stackId="flag" fill="#16a34a" />
        <Bar dataKey="failure" name="Failure" stackId="flag" fill="#dc2626" />
      </BarChart>
    </ChartCard>
  );
}

export function TokensChart({ days }: { days: Day[] }) {
  return (
    <ChartCard title="Tokens per day">
      <AreaChart data={days}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tick={axis} />
        <YAxis tick={axis} />
        <Tooltip />
        <Area type="monotone" dataKey="tokens" name="Tokens" stroke="#0891b2" fill="#a5f3fc" />
      </AreaChart>
    </ChartCard>
  );
}

export function LatencyChart({ days }: { days: Day[] }) {
  const data = days.map((d) => ({
    day: d.day,
    latency: d.avg_latency_ms === null ? null : Math.round(d.avg_latency_ms),
  }));
  return (
    <ChartCard title="Average latency per day (ms)">
      <LineChart data={data}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tick={axis} />
        <YAxis tick={axis} />
        <Tooltip />
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

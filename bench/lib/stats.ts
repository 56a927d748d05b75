/**
 * Small statistics over repeated measurements: every figure the bench prints is a median with its spread, so
 * one noisy run on a shared 2-core machine cannot make or break a claim.
 */

/** The q-quantile (0..1) of the values, by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A repeated measurement: its median, and the smallest and largest run. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    runs: values.length,
  };
}

/** Significant-figure formatting that keeps tables readable: 0.123, 1.23, 12.3, 1,234. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs === 0) return "0";
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toFixed(Math.min(decimals, 4));
}

/** `median (min–max)`, the cell format of every table. */
export function fmtSummary(s: Summary, digits = 3): string {
  if (s.runs <= 1) return fmt(s.median, digits);
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** Ratio of two same-run figures, as `0.12x`. */
export function fmtRatio(s: Summary, digits = 3): string {
  if (s.runs <= 1) return `${fmt(s.median, digits)}x`;
  return `${fmt(s.median, digits)}x (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/**
 * The latency sketch: fixed log-spaced buckets, mergeable and subtractable (counts per bucket), as DDSketch lays
 * them out. A value v ≥ 1 ms falls in bucket ceil(log_γ v) with γ = (1 + α) / (1 − α); the bucket's
 * representative value 2γ^i / (γ + 1) is within α (relative) of every value in it, so a quantile read from the
 * buckets is within α of the exact nearest-rank value. 0 ms has its own bucket, −1.
 */
export const RELATIVE_ACCURACY = 0.02;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

export function latencyBucket(ms: number): number {
  if (ms <= 0) return -1;
  return Math.ceil(Math.log(ms) / LOG_GAMMA - 1e-9);
}

export function bucketValue(bucket: number): number {
  if (bucket < 0) return 0;
  return (2 * Math.pow(GAMMA, bucket)) / (GAMMA + 1);
}

/** Nearest-rank quantiles (the value at 1-based rank ceil(p × n)) from bucket counts; null when empty. */
export function sketchQuantiles(buckets: Map<number, number>, ps: number[]): Array<number | null> {
  const sorted = [...buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return ps.map(() => null);
  return ps.map((p) => {
    const rank = Math.min(total, Math.max(1, Math.ceil(p * total)));
    let seen = 0;
    for (const [bucket, n] of sorted) {
      seen += n;
      if (seen >= rank) return Math.round(bucketValue(bucket) * 100) / 100;
    }
    return null;
  });
}

/** A histogram as stored in a row: JSON `{"bucket": n}` without empty buckets. */
export function histogramText(buckets: Map<number, number>): string {
  const out: Record<string, number> = {};
  for (const [bucket, n] of [...buckets].sort((a, b) => a[0] - b[0])) if (n !== 0) out[bucket] = n;
  return JSON.stringify(out);
}

export function parseHistogram(text: string): Map<number, number> {
  const parsed = JSON.parse(text) as Record<string, number>;
  return new Map(Object.entries(parsed).map(([bucket, n]) => [Number(bucket), Number(n)]));
}

/** Adds a stored histogram's counts into `into`, without building an intermediate map. */
export function addHistogramText(into: Map<number, number>, text: string): void {
  const parsed = JSON.parse(text) as Record<string, number>;
  for (const key in parsed) {
    const bucket = Number(key);
    into.set(bucket, (into.get(bucket) ?? 0) + Number(parsed[key]));
  }
}

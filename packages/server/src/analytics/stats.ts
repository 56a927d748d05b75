/**
 * The statistics of the A/B comparison. The normal distribution comes from `simple-statistics`: Φ from its
 * `errorFunction` (its `cumulativeStdNormalProbability` is a table rounded to two decimals of z) and quantiles from
 * its `probit` refined by two Newton steps on Φ (`probit(0.975)` alone is 1.9572, not 1.95996). The formulas around
 * them are the textbook ones, named where used.
 */
import { errorFunction, mean, probit } from "simple-statistics";

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** Standard normal quantile. */
export function normalQuantile(p: number): number {
  let z = probit(p);
  for (let step = 0; step < 2; step += 1) {
    const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    z -= (normalCdf(z) - p) / density;
  }
  return z;
}

/** z for a two-sided 95 % interval (1.959964). */
export const Z95 = normalQuantile(0.975);

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval of a proportion `successes / n` (95 %); null for n = 0. */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two-sided p-value of a standard normal statistic. */
function twoSided(z: number): number {
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

export interface ProportionTest {
  difference: number;
  /** 95 % interval of the difference (unpooled standard error). */
  interval: Interval;
  z: number;
  p_value: number;
}

/** Two-proportion z-test (pooled standard error under H0). Null when a side has no sample. */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): ProportionTest | null {
  if (n1 === 0 || n2 === 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se === 0 ? 0 : (p2 - p1) / se;
  const seDiff = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return {
    difference: p2 - p1,
    interval: { low: p2 - p1 - Z95 * seDiff, high: p2 - p1 + Z95 * seDiff },
    z,
    p_value: se === 0 ? 1 : twoSided(z),
  };
}

export interface RankTest {
  /** U of the second sample. */
  u: number;
  z: number;
  p_value: number;
  /** P(a value of the second sample > one of the first) + half the ties: 0.5 means no shift. */
  effect: number;
}

/** Mann–Whitney U test, normal approximation with tie correction and continuity correction. */
export function mannWhitney(a: number[], b: number[]): RankTest | null {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return null;
  const all = [
    ...a.map((value) => ({ value, first: true })),
    ...b.map((value) => ({ value, first: false })),
  ].sort((x, y) => x.value - y.value);
  let rankSumB = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j += 1;
    const rank = (i + j + 2) / 2;
    const size = j - i + 1;
    tieTerm += size ** 3 - size;
    for (let k = i; k <= j; k += 1) if (!all[k]!.first) rankSumB += rank;
    i = j + 1;
  }
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sigma === 0 ? 0 : (u - mu - Math.sign(u - mu) * 0.5) / sigma;
  return { u, z, p_value: sigma === 0 ? 1 : twoSided(z), effect: u / (n1 * n2) };
}

export function meanOrNull(values: number[]): number | null {
  return values.length === 0 ? null : mean(values);
}

/** Number formats of the analytics views. */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)} %`;
}

export function interval(value: { low: number; high: number } | null | undefined): string {
  return value ? `${percent(value.low)} – ${percent(value.high)}` : "–";
}

export function pValue(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

export function ratio(value: number | null): string {
  return value === null ? "–" : value.toFixed(2);
}

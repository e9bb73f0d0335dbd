/** Small helpers shared by the benchmarks. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** `1.23x` */
export function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(2)}x`;
}

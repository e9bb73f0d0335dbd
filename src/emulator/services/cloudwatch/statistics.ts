/**
 * Statistics over a span of a series' one-minute buckets, as GetMetricStatistics, GetMetricData
 * and alarms compute them: SampleCount, Sum, Average, Minimum, Maximum, and percentiles `pNN` /
 * `pNN.NN` (from the values kept for them; nearest rank).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */
import type { Bucket, Series } from './metric-store.js';

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type Statistic = (typeof STATISTICS)[number];

export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  values: number[];
  unit?: string;
}

/** `p99`, `p99.9`: the percentile statistics CloudWatch accepts (0 to 100) */
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/;

export function isPercentile(stat: string): boolean {
  return PERCENTILE.test(stat);
}

export function isStatistic(stat: string): stat is Statistic {
  return (STATISTICS as readonly string[]).includes(stat);
}

/** the buckets of `series` in [start, end), merged; undefined when none has data (or none of `unit`) */
export function aggregate(series: Series, start: number, end: number, unit?: string): Aggregate | undefined {
  let agg: Aggregate | undefined;
  for (let t = start - (start % 60_000); t < end; t += 60_000) {
    const b: Bucket | undefined = series.buckets.get(t);
    if (!b || b.count === 0 || t < start) continue;
    if (unit !== undefined && (b.unit ?? 'None') !== unit) continue;
    agg ??= { count: 0, sum: 0, min: Infinity, max: -Infinity, values: [], unit: b.unit };
    agg.count += b.count;
    agg.sum += b.sum;
    if (b.min < agg.min) agg.min = b.min;
    if (b.max > agg.max) agg.max = b.max;
    for (const v of b.values) agg.values.push(v);
  }
  return agg;
}

export function statisticValue(agg: Aggregate, stat: string): number {
  switch (stat) {
    case 'SampleCount':
      return agg.count;
    case 'Sum':
      return agg.sum;
    case 'Average':
      return agg.sum / agg.count;
    case 'Minimum':
      return agg.min;
    case 'Maximum':
      return agg.max;
  }
  const m = PERCENTILE.exec(stat);
  if (!m || agg.values.length === 0) return Number.NaN;
  const sorted = [...agg.values].sort((a, b) => a - b);
  const rank = Math.ceil((Number(m[1]) / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

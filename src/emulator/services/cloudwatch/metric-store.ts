/**
 * CloudWatch's metric data: one series per (namespace, metric name, dimension set), aggregated in
 * one-minute buckets in memory as the points arrive (count, sum, min, max, and a bounded sample of
 * values for percentiles). Recording a point is a map lookup and a few additions, so Lambda's
 * invocations do not slow down; the store is written to the state dir by the scheduler, never on
 * the hot path.
 *
 * "Lambda sends metric data to CloudWatch in 1-minute intervals" (monitoring-metrics.html); the
 * emulator keeps every namespace at that granularity.
 * Known limits: high-resolution metrics (StorageResolution 1) are stored at one minute too; the
 * percentiles of a minute that got more than SAMPLE_LIMIT values come from a uniform sample of
 * them (CloudWatch's own percentiles are approximations too); data older than RETENTION_MS is
 * dropped (one-minute data is kept for 15 days: "Data points with a period of 60 seconds (1 minute)
 * are available for 15 days", cloudwatch_concepts.html).
 */
import type { Aggregate } from './statistics.js';
export const MINUTE_MS = 60_000;
export const RETENTION_MS = 15 * 24 * 3600_000;
const SAMPLE_LIMIT = 10_000;
/** a persisted bucket keeps at most this many values for percentiles */
const PERSISTED_SAMPLE_LIMIT = 200;

export interface Dimension {
  Name: string;
  Value: string;
}

/** One minute of one series: its aggregate (values: a uniform sample of `count` of them once there are more than the limit). */
export interface Bucket extends Aggregate {
  /** epoch ms, a multiple of a minute */
  start: number;
}

export interface Series {
  key: string;
  namespace: string;
  metricName: string;
  /** sorted by name, as ListMetrics and the key use them */
  dimensions: Dimension[];
  /** by bucket start; the last one written is kept at hand */
  buckets: Map<number, Bucket>;
  last?: Bucket;
}

export function seriesKey(namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
  let key = `${namespace}\n${metricName}`;
  for (const d of dimensions) key += `\n${d.Name}=${d.Value}`;
  return key;
}

export function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export interface PersistedSeries {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  buckets: Bucket[];
}

export class MetricStore {
  private readonly series = new Map<string, Series>();
  /** changed since the last snapshot (the scheduler persists only then) */
  dirty = false;

  constructor(saved: PersistedSeries[] = []) {
    for (const s of saved) {
      const dims = sortDimensions(s.dimensions);
      const series = this.seriesOf(s.namespace, s.metricName, dims);
      for (const b of s.buckets) series.buckets.set(b.start, { ...b, values: [...b.values] });
    }
    this.dirty = false;
  }

  /** the series for sorted `dimensions`, made on first use */
  seriesOf(namespace: string, metricName: string, dimensions: Dimension[], key = seriesKey(namespace, metricName, dimensions)): Series {
    let s = this.series.get(key);
    if (!s) {
      s = { key, namespace, metricName, dimensions, buckets: new Map() };
      this.series.set(key, s);
    }
    return s;
  }

  /**
   * Adds `count` points summing to `sum` (one point: count 1, sum = min = max = value) at
   * `timestamp`. `values` are the points themselves when known (for percentiles).
   */
  add(series: Series, timestamp: number, count: number, sum: number, min: number, max: number, unit?: string, values?: readonly number[]): void {
    const start = timestamp - (((timestamp % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    let b = series.last;
    if (!b || b.start !== start) {
      b = series.buckets.get(start);
      if (!b) {
        b = { start, count: 0, sum: 0, min: Infinity, max: -Infinity, values: [] };
        series.buckets.set(start, b);
      }
      series.last = b;
    }
    const before = b.count;
    b.count += count;
    b.sum += sum;
    if (min < b.min) b.min = min;
    if (max > b.max) b.max = max;
    if (unit !== undefined) b.unit = unit;
    if (values) for (let i = 0; i < values.length; i++) sample(b.values, values[i], before + i + 1);
    this.dirty = true;
  }

  /**
   * One value, the common case (every Lambda invocation's points: keep this lean). `keepValue`:
   * kept for percentiles (Lambda keeps them for Duration only).
   */
  addValue(series: Series, timestamp: number, value: number, unit: string | undefined, keepValue = true): void {
    const start = timestamp - (((timestamp % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    let b = series.last;
    if (b === undefined || b.start !== start) {
      b = series.buckets.get(start);
      if (b === undefined) {
        b = { start, count: 0, sum: 0, min: value, max: value, values: [], unit };
        series.buckets.set(start, b);
      }
      series.last = b;
    }
    b.count++;
    b.sum += value;
    if (value < b.min) b.min = value;
    if (value > b.max) b.max = value;
    if (unit !== undefined) b.unit = unit;
    if (keepValue) sample(b.values, value, b.count);
    this.dirty = true;
  }

  find(namespace: string, metricName: string, dimensions: readonly Dimension[]): Series | undefined {
    return this.series.get(seriesKey(namespace, metricName, sortDimensions(dimensions)));
  }

  all(): IterableIterator<Series> {
    return this.series.values();
  }

  /** drop buckets older than the retention (series stay: recorders hold on to them) */
  expire(now: number): void {
    const oldest = now - RETENTION_MS;
    for (const s of this.series.values()) {
      for (const start of s.buckets.keys()) if (start < oldest) s.buckets.delete(start);
      if (s.last && !s.buckets.has(s.last.start)) s.last = undefined;
    }
  }

  snapshot(): PersistedSeries[] {
    this.dirty = false;
    return [...this.series.values()].filter((s) => s.buckets.size > 0).map((s) => ({
      namespace: s.namespace,
      metricName: s.metricName,
      dimensions: s.dimensions,
      buckets: [...s.buckets.values()].map((b) => ({ ...b, values: thin(b.values, PERSISTED_SAMPLE_LIMIT) })),
    }));
  }
}

/** Algorithm R: the n-th value seen replaces a random slot once the sample is full */
function sample(values: number[], value: number, n: number): void {
  if (values.length < SAMPLE_LIMIT) {
    values.push(value);
    return;
  }
  const j = Math.floor(Math.random() * n);
  if (j < SAMPLE_LIMIT) values[j] = value;
}

function thin(values: number[], limit: number): number[] {
  if (values.length <= limit) return values;
  const step = values.length / limit;
  const out: number[] = [];
  for (let i = 0; i < limit; i++) out.push(values[Math.floor(i * step)]);
  return out;
}

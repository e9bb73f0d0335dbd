/**
 * LoadTestResult → the numbers of hey's report. Pure: no clock, no I/O.
 * The histogram and percentiles follow hey's report.go: 10 equal buckets from fastest to slowest
 * plus one at slowest, each latency counted in the first bucket whose mark is ≥ it; percentile p is
 * the sorted latency at index ⌈p·n/100⌉ (hey's first i with i·100/n ≥ p), clamped to the last.
 */
import type { LoadTestResult } from './types.js';

export const PERCENTILES = [10, 25, 50, 75, 90, 95, 99] as const;
const BUCKETS = 10;

export interface HistogramBucket {
  /** upper mark of the bucket */
  readonly markMs: number;
  readonly count: number;
}

export interface LoadTestSummary {
  readonly url: string;
  readonly method: string;
  readonly concurrency: number;
  readonly requested: number | null;
  readonly startedAt: string;
  readonly totalMs: number;
  /** responses + errors per second of the real run time, as hey counts */
  readonly requestsPerSec: number;
  readonly sent: number;
  readonly responses: number;
  readonly errors: number;
  /** null when no request got a response */
  readonly slowestMs: number | null;
  readonly fastestMs: number | null;
  readonly averageMs: number | null;
  readonly totalDataBytes: number;
  readonly sizePerRequestBytes: number;
  readonly wireBytes: number;
  readonly histogram: readonly HistogramBucket[];
  readonly latencyDistribution: ReadonlyArray<{ readonly percentage: number; readonly latencyMs: number }>;
  /** ascending by code */
  readonly statusCodes: ReadonlyArray<{ readonly code: number; readonly count: number }>;
  /** most frequent first */
  readonly errorDistribution: ReadonlyArray<{ readonly message: string; readonly count: number }>;
  /** the distributions cover only this many responses (hey's 1M cap) */
  readonly sampled: number;
  readonly interrupted: boolean;
  /** a -z run that ended at its most requests, before its duration: that count; else null */
  readonly maxRequestsReached: number | null;
}

export function summarize(r: LoadTestResult): LoadTestSummary {
  const sorted = Float64Array.from(r.samples.latencyMs).sort();
  const n = sorted.length;
  const fastest = n > 0 ? sorted[0] : null;
  const slowest = n > 0 ? sorted[n - 1] : null;
  return {
    url: r.url,
    method: r.method,
    concurrency: r.concurrency,
    requested: r.requested,
    startedAt: r.startedAt.toISOString(),
    totalMs: r.durationMs,
    requestsPerSec: r.durationMs > 0 ? r.sent / (r.durationMs / 1000) : 0,
    sent: r.sent,
    responses: r.responses,
    errors: r.errors,
    slowestMs: slowest,
    fastestMs: fastest,
    averageMs: r.responses > 0 ? r.latencySumMs / r.responses : null,
    totalDataBytes: r.bodyBytes,
    sizePerRequestBytes: r.responses > 0 ? Math.floor(r.bodyBytes / r.responses) : 0,
    wireBytes: r.wireBytes,
    histogram: histogram(sorted),
    latencyDistribution: n > 0 ? PERCENTILES.map((p) => ({ percentage: p, latencyMs: sorted[Math.min(n - 1, Math.ceil((p * n) / 100))] })) : [],
    statusCodes: Object.entries(r.statusCounts)
      .map(([code, count]) => ({ code: Number(code), count }))
      .sort((a, b) => a.code - b.code),
    errorDistribution: Object.entries(r.errorCounts)
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count || a.message.localeCompare(b.message)),
    sampled: n,
    interrupted: r.interrupted,
    maxRequestsReached: r.maxRequestsReached,
  };
}

/** hey's histogram of sorted latencies */
export function histogram(sorted: Float64Array): HistogramBucket[] {
  const n = sorted.length;
  if (n === 0) return [];
  const fastest = sorted[0];
  const slowest = sorted[n - 1];
  const size = (slowest - fastest) / BUCKETS;
  const marks: number[] = [];
  for (let i = 0; i < BUCKETS; i++) marks.push(fastest + size * i);
  marks.push(slowest);
  const counts = new Array<number>(marks.length).fill(0);
  let b = 0;
  for (let i = 0; i < n; ) {
    if (sorted[i] <= marks[b]) {
      counts[b]++;
      i++;
    } else if (b < marks.length - 1) {
      b++;
    } else {
      // unreachable: the last mark is the slowest
      counts[b]++;
      i++;
    }
  }
  return marks.map((markMs, i) => ({ markMs, count: counts[i] }));
}

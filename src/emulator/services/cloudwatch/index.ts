/**
 * CloudWatch: metrics (PutMetricData, Lambda's own from real invocations) and metric alarms
 * evaluated every minute of cloud time. Built first by wiring.ts: Lambda needs its metrics sink,
 * CodeDeploy its alarm reader.
 */
import type { Clock } from '../../core/clock.js';
import type { StateStore } from '../../core/store.js';
import type { LambdaMetricsSink } from '../lambda/index.js';
import { LambdaMetrics } from './lambda-metrics.js';
import { MetricStore, type PersistedSeries } from './metric-store.js';

export interface CloudWatchDeps {
  store: StateStore;
  clock: Clock;
  region: string;
  accountId: string;
  log: (line: string) => void;
}

export interface CloudWatchService {
  /** Lambda's metrics sink (AWS/Lambda) */
  lambdaMetrics: LambdaMetricsSink;
  metrics: MetricStore;
  /** persist what is still in memory */
  close(): void;
}

const METRICS_KEY = 'cloudwatch-metrics';

export function createCloudWatchService(deps: CloudWatchDeps): CloudWatchService {
  const saved = deps.store.read<{ format: 1; series: PersistedSeries[] }>(METRICS_KEY);
  const metrics = new MetricStore(saved?.format === 1 ? saved.series : []);
  return {
    lambdaMetrics: new LambdaMetrics(metrics),
    metrics,
    close() {
      if (metrics.dirty) deps.store.write(METRICS_KEY, { format: 1, series: metrics.snapshot() });
    },
  };
}

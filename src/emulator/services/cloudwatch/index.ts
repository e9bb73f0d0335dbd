/**
 * CloudWatch: metrics (PutMetricData, and Lambda's own from real invocations) and metric alarms
 * evaluated every minute of cloud time, spoken in JSON 1.0, RPC v2 CBOR and Query (detected per
 * request). Built before Lambda by wiring.ts: Lambda needs its metrics sink, CodeDeploy its alarm
 * states.
 */
import type { Clock } from '../../core/clock.js';
import { ServiceError } from '../../core/service-error.js';
import type { ServiceDefinition } from '../../core/service.js';
import type { StateStore } from '../../core/store.js';
import type { LambdaMetricsSink } from '../lambda/index.js';
import { CloudWatchBackend } from './backend.js';
import { QUERY_COMPATIBLE } from './errors.js';
import { DOUBLE_MEMBERS } from './model.js';
import { LambdaMetrics } from './lambda-metrics.js';
import { MetricStore, type PersistedSeries } from './metric-store.js';
import { cloudWatchOperations } from './routes.js';
import { AlarmScheduler } from './scheduler.js';

export { CloudWatchBackend } from './backend.js';
export type { StateValue } from './alarm-evaluation.js';
export { CLOUDWATCH_OPERATIONS, type CloudWatchOperationName } from './routes.js';

export interface CloudWatchDeps {
  store: StateStore;
  clock: Clock;
  region: string;
  accountId: string;
  log: (line: string) => void;
}

export interface CloudWatchService {
  definition: ServiceDefinition;
  /** typed access for other services: `backend.alarmStates(names)`, `backend.describeAlarms(...)` */
  backend: CloudWatchBackend;
  /** Lambda's metrics sink (AWS/Lambda) */
  lambdaMetrics: LambdaMetricsSink;
  metrics: MetricStore;
  /** stop evaluating, persist the metric data still in memory */
  close(): void;
}

const METRICS_KEY = 'cloudwatch-metrics';
/** metric data is written at most this often (real ms) while running, and at shutdown */
const METRICS_WRITE_INTERVAL_MS = 15_000;

export function createCloudWatchService(deps: CloudWatchDeps): CloudWatchService {
  const saved = deps.store.read<{ format: 1; series: PersistedSeries[] }>(METRICS_KEY);
  const metrics = new MetricStore(saved?.format === 1 ? saved.series : []);
  const backend = new CloudWatchBackend({ store: deps.store, clock: deps.clock, metrics, region: deps.region, accountId: deps.accountId });
  let persistedAt = 0;
  const persistMetrics = (force = false) => {
    if (!metrics.dirty) return;
    // at a high --speed the scheduler ticks every real second; the whole metric document is not
    // rewritten that often (real time: this bounds disk writes, it is no cloud timer)
    if (!force && Date.now() - persistedAt < METRICS_WRITE_INTERVAL_MS) return;
    persistedAt = Date.now();
    deps.store.write(METRICS_KEY, { format: 1, series: metrics.snapshot() });
  };
  const scheduler = new AlarmScheduler(
    deps.clock,
    (now) => {
      metrics.expire(now);
      try {
        backend.evaluateAlarms(now);
      } finally {
        // a state dir that refuses the alarms must not keep the metric data from being written, nor the reverse
        persistMetrics();
      }
    },
    deps.log,
  );
  scheduler.start();
  return {
    definition: {
      id: 'cloudwatch',
      signingName: 'monitoring',
      // JSON 1.0 is what today's SDK and aws CLI send; CBOR when a client asks; Query from SDKs up to 3.948
      protocols: ['awsJson1_0', 'rpcv2Cbor', 'awsQuery'],
      targetPrefix: 'GraniteServiceVersion20100801',
      namespace: 'com.amazonaws.cloudwatch',
      xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
      queryCompatible: QUERY_COMPATIBLE,
      doubleMembers: DOUBLE_MEMBERS,
      // a change the state dir refused: CloudWatch's InternalServiceFault (500, query code InternalServiceError)
      storeFailure: (cause) => new ServiceError('InternalServiceFault', cause.message, 500),
      operations: cloudWatchOperations(backend, metrics, deps.clock),
    },
    backend,
    lambdaMetrics: new LambdaMetrics(metrics),
    metrics,
    close() {
      scheduler.stop();
      persistMetrics(true);
    },
  };
}

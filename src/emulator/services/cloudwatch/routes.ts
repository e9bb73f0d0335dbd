import { operationsOf, type Operation } from '../../core/service.js';
import type { Clock } from '../../core/clock.js';
import type { CloudWatchBackend } from './backend.js';
import { cloudWatchHandlers } from './handlers.js';
import type { MetricStore } from './metric-store.js';

/**
 * The operations CloudWatch serves, by AWS's names. They carry no HTTP binding: JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`), RPC v2 CBOR
 * (`/service/GraniteServiceVersion20100801/operation/<Op>`) and Query (`Action=<Op>`) all name the
 * operation in the request. cloudWatchHandlers must have a handler for each (a compile error otherwise).
 */
export const CLOUDWATCH_OPERATIONS = [
  'PutMetricAlarm',
  'DescribeAlarms',
  'DescribeAlarmsForMetric',
  'DescribeAlarmHistory',
  'SetAlarmState',
  'DeleteAlarms',
  'EnableAlarmActions',
  'DisableAlarmActions',
  'PutMetricData',
  'GetMetricStatistics',
  'GetMetricData',
  'ListMetrics',
] as const;

export type CloudWatchOperationName = (typeof CLOUDWATCH_OPERATIONS)[number];

export function cloudWatchOperations(backend: CloudWatchBackend, metrics: MetricStore, clock: Clock): Operation[] {
  return operationsOf<CloudWatchOperationName>(cloudWatchHandlers(backend, metrics, clock));
}

/**
 * CloudWatch's side of Lambda's `LambdaMetricsSink`: each invocation's point filed under every
 * AWS/Lambda dimension set AWS publishes for it (monitoring-metrics-types.html, "Using
 * dimensions"):
 *   {FunctionName}                              every point ("all versions and aliases");
 *   {FunctionName, Resource}                    a call qualified by a version or alias;
 *   {ExecutedVersion, FunctionName, Resource}   a call through an alias ("compare error rates for
 *                                               two versions ... of a weighted alias");
 *   {}                                          ConcurrentExecutions of the whole account.
 * [inf] A throttled call ran no version, so Throttles get no ExecutedVersion series; and
 * ConcurrentExecutions is filed per function and for the account only (the emulator counts
 * executions per function, not per alias or version). Both easy to change here.
 */
import type { LambdaMetricDatum, LambdaMetricsSink } from '../lambda/index.js';
import { type Dimension, type MetricStore, type Series } from './metric-store.js';

export const LAMBDA_NAMESPACE = 'AWS/Lambda';

export class LambdaMetrics implements LambdaMetricsSink {
  /** datum identity → the series it lands in; built once per function / qualifier / version */
  private readonly targets = new Map<string, Series[]>();

  constructor(private readonly store: MetricStore) {}

  record(datum: LambdaMetricDatum): void {
    const d = datum.dimensions as { FunctionName?: string; Resource?: string; ExecutedVersion?: string };
    const key = `${datum.metricName}\n${d.FunctionName ?? ''}\n${d.Resource ?? ''}\n${d.ExecutedVersion ?? ''}`;
    let series = this.targets.get(key);
    if (!series) {
      series = this.seriesFor(datum.metricName, d);
      this.targets.set(key, series);
    }
    for (let i = 0; i < series.length; i++) this.store.addValue(series[i], datum.timestamp, datum.value, datum.unit);
  }

  private seriesFor(metricName: LambdaMetricDatum['metricName'], d: { FunctionName?: string; Resource?: string; ExecutedVersion?: string }): Series[] {
    const sets: Dimension[][] = [];
    if (d.FunctionName === undefined) {
      sets.push([]);
    } else {
      sets.push([{ Name: 'FunctionName', Value: d.FunctionName }]);
      if (metricName !== 'ConcurrentExecutions' && d.Resource !== undefined) {
        sets.push([
          { Name: 'FunctionName', Value: d.FunctionName },
          { Name: 'Resource', Value: d.Resource },
        ]);
        if (metricName !== 'Throttles' && d.ExecutedVersion !== undefined) {
          sets.push([
            { Name: 'ExecutedVersion', Value: d.ExecutedVersion },
            { Name: 'FunctionName', Value: d.FunctionName },
            { Name: 'Resource', Value: d.Resource },
          ]);
        }
      }
    }
    return sets.map((dims) => this.store.seriesOf(LAMBDA_NAMESPACE, metricName, dims));
  }
}

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

type Dims = { FunctionName?: string; Resource?: string; ExecutedVersion?: string };

export class LambdaMetrics implements LambdaMetricsSink {
  /**
   * metric → FunctionName → Resource → ExecutedVersion → the series the point lands in: nested maps
   * looked up with the strings the invocation already has, so a point allocates nothing once its
   * series exist (a string key would be built per point).
   */
  private readonly targets = new Map<string, Map<string, Map<string, Map<string, Series[]>>>>();

  constructor(private readonly store: MetricStore) {}

  record(datum: LambdaMetricDatum): void {
    const d = datum.dimensions as Dims;
    const series = this.lookup(datum.metricName, d);
    // percentiles are asked of Duration; the counts' values are 0 and 1
    const keep = datum.metricName === 'Duration';
    for (let i = 0; i < series.length; i++) this.store.addValue(series[i], datum.timestamp, datum.value, datum.unit, keep);
  }

  private lookup(metricName: LambdaMetricDatum['metricName'], d: Dims): Series[] {
    let byFunction = this.targets.get(metricName);
    if (!byFunction) this.targets.set(metricName, (byFunction = new Map()));
    const fn = d.FunctionName ?? '';
    let byResource = byFunction.get(fn);
    if (!byResource) byFunction.set(fn, (byResource = new Map()));
    const resource = d.Resource ?? '';
    let byVersion = byResource.get(resource);
    if (!byVersion) byResource.set(resource, (byVersion = new Map()));
    const version = d.ExecutedVersion ?? '';
    let series = byVersion.get(version);
    if (!series) byVersion.set(version, (series = this.seriesFor(metricName, d)));
    return series;
  }

  private seriesFor(metricName: LambdaMetricDatum['metricName'], d: Dims): Series[] {
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

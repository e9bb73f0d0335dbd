/**
 * PutMetricData, GetMetricStatistics, GetMetricData and ListMetrics over the MetricStore.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html (and the
 * pages of the other three). Timestamps are cloud time (README, "The cloud's clock").
 * Known limits: metric math `Expression`s are refused; GetMetricData ignores MaxDatapoints paging;
 * periods below 60 s are answered from one-minute data.
 */
import { invalidParameterCombination, invalidParameterValue, missingParameter, validationError } from './errors.js';
import { MINUTE_MS, sortDimensions, type Dimension, type MetricStore, type Series } from './metric-store.js';
import { aggregate, isPercentile, isStatistic, statisticValue, STATISTICS } from './statistics.js';
import { UNITS } from './alarms.js';

export interface MetricDatumInput {
  MetricName?: string;
  Dimensions: Dimension[];
  Timestamp?: number;
  Value?: number;
  StatisticValues?: { SampleCount?: number; Sum?: number; Minimum?: number; Maximum?: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
  StorageResolution?: number;
}

const TWO_WEEKS = 14 * 24 * 3600_000;
const TWO_HOURS = 2 * 3600_000;
/** "The maximum number of data points returned from a single call is 1,440." */
const MAX_DATAPOINTS = 1440;

export function putMetricData(store: MetricStore, now: number, namespace: string | undefined, data: MetricDatumInput[] | undefined): void {
  if (namespace === undefined) throw missingParameter('The parameter Namespace is required.');
  if (data === undefined || data.length === 0) throw missingParameter('The parameter MetricData is required.');
  // "You can't specify a namespace that begins with 'AWS/'." (API_PutMetricData, Namespace)
  if (namespace.startsWith('AWS/')) throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  if (data.length > 1000) throw validationError([`Value at 'metricData' failed to satisfy constraint: Member must have length less than or equal to 1000`]);
  // validate everything before recording anything: one bad datum rejects the call
  const points = data.map((d, i) => {
    const at = `MetricData.member.${i + 1}`;
    if (d.MetricName === undefined) throw missingParameter(`The parameter ${at}.MetricName is required.`);
    if (d.Unit !== undefined && !UNITS.includes(d.Unit)) {
      throw validationError([`Value '${d.Unit}' at 'metricData.${i + 1}.member.unit' failed to satisfy constraint: Member must satisfy enum value set: [${UNITS.join(', ')}]`]);
    }
    if (d.Value !== undefined && d.StatisticValues !== undefined) {
      throw invalidParameterCombination(`The parameters ${at}.Value and ${at}.StatisticValues are mutually exclusive and you have specified both.`);
    }
    if (d.Values !== undefined && (d.Value !== undefined || d.StatisticValues !== undefined)) {
      throw invalidParameterCombination(`The parameters ${at}.Values and ${at}.Value or ${at}.StatisticValues are mutually exclusive and you have specified both.`);
    }
    if (d.Counts !== undefined && d.Values === undefined) throw invalidParameterCombination(`The parameter ${at}.Counts requires ${at}.Values.`);
    if (d.Counts !== undefined && d.Values !== undefined && d.Counts.length !== d.Values.length) {
      throw invalidParameterValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
    }
    const s = d.StatisticValues;
    if (s && (s.SampleCount === undefined || s.Sum === undefined || s.Minimum === undefined || s.Maximum === undefined)) {
      throw missingParameter(`The parameter ${at}.StatisticValues requires SampleCount, Sum, Minimum and Maximum.`);
    }
    if (d.Value === undefined && !s && (d.Values === undefined || d.Values.length === 0)) {
      throw missingParameter(`The parameter ${at}.Value is required.`);
    }
    const timestamp = d.Timestamp ?? now;
    if (timestamp < now - TWO_WEEKS) throw invalidParameterValue(`The parameter ${at}.Timestamp must specify a time no more than two weeks in the past.`);
    if (timestamp > now + TWO_HOURS) throw invalidParameterValue(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
    return { d, timestamp };
  });
  for (const { d, timestamp } of points) {
    const series = store.seriesOf(namespace, d.MetricName!, sortDimensions(d.Dimensions));
    const unit = d.Unit ?? 'None';
    if (d.Value !== undefined) {
      store.addValue(series, timestamp, d.Value, unit);
    } else if (d.StatisticValues) {
      const s = d.StatisticValues;
      store.add(series, timestamp, s.SampleCount!, s.Sum!, s.Minimum!, s.Maximum!, unit);
    } else {
      const values = d.Values!;
      const counts = d.Counts ?? values.map(() => 1);
      let count = 0;
      let sum = 0;
      const expanded: number[] = [];
      for (let i = 0; i < values.length; i++) {
        count += counts[i];
        sum += values[i] * counts[i];
        for (let c = 0; c < Math.min(counts[i], 1000); c++) expanded.push(values[i]);
      }
      store.add(series, timestamp, count, sum, Math.min(...values), Math.max(...values), unit, expanded);
    }
  }
}

export interface GetMetricStatisticsInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions: Dimension[];
  StartTime?: number;
  EndTime?: number;
  Period?: number;
  Statistics?: string[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

function checkSpan(start: number | undefined, end: number | undefined, period: number | undefined, what = ''): { start: number; end: number; period: number } {
  if (start === undefined) throw missingParameter(`The parameter ${what}StartTime is required.`);
  if (end === undefined) throw missingParameter(`The parameter ${what}EndTime is required.`);
  if (period === undefined) throw missingParameter(`The parameter ${what}Period is required.`);
  if (!(start < end)) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  // "valid values are 1, 5, 10, 20, 30, 60, and any multiple of 60" (high-resolution), else multiples of 60
  if (period < 1 || (![1, 5, 10, 20, 30].includes(period) && period % 60 !== 0)) {
    throw invalidParameterValue('The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.');
  }
  return { start, end, period };
}

/** the period slots of [start, end): starts rounded down to the minute ("rounded down to the nearest whole minute") */
function* slots(start: number, end: number, periodMs: number): Generator<number> {
  for (let t = start - (start % MINUTE_MS); t < end; t += periodMs) yield t;
}

export function getMetricStatistics(store: MetricStore, input: GetMetricStatisticsInput) {
  if (input.Namespace === undefined) throw missingParameter('The parameter Namespace is required.');
  if (input.MetricName === undefined) throw missingParameter('The parameter MetricName is required.');
  const { start, end, period } = checkSpan(input.StartTime, input.EndTime, input.Period);
  const stats = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (stats.length === 0 && extended.length === 0) throw missingParameter('Must specify either Statistics or ExtendedStatistics.');
  if (stats.length && extended.length) throw invalidParameterCombination('The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.');
  for (const [i, s] of stats.entries()) {
    if (!isStatistic(s)) throw validationError([`Value '${s}' at 'statistics.${i + 1}.member' failed to satisfy constraint: Member must satisfy enum value set: [${STATISTICS.join(', ')}]`]);
  }
  for (const s of extended) if (!isPercentile(s)) throw invalidParameterValue(`The value ${s} for parameter ExtendedStatistics is not supported.`);
  const periodMs = Math.max(60, period) * 1000;
  const requested = Math.ceil((end - (start - (start % MINUTE_MS))) / periodMs);
  if (requested > MAX_DATAPOINTS) {
    throw invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const series = store.find(input.Namespace, input.MetricName, input.Dimensions);
  const datapoints: Record<string, unknown>[] = [];
  if (series) {
    for (const t of slots(start, end, periodMs)) {
      const agg = aggregate(series, t, Math.min(t + periodMs, end), input.Unit);
      if (!agg) continue;
      const point: Record<string, unknown> = { Timestamp: new Date(t) };
      for (const s of stats) point[s] = statisticValue(agg, s);
      if (extended.length) point.ExtendedStatistics = Object.fromEntries(extended.map((s) => [s, statisticValue(agg, s)]));
      point.Unit = input.Unit ?? agg.unit ?? 'None';
      datapoints.push(point);
    }
  }
  return { Label: input.MetricName, Datapoints: datapoints };
}

export interface MetricDataQueryInput {
  Id?: string;
  MetricStat?: { Metric: { Namespace?: string; MetricName?: string; Dimensions: Dimension[] }; Period?: number; Stat?: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

export function getMetricData(store: MetricStore, queries: MetricDataQueryInput[] | undefined, startTime: number | undefined, endTime: number | undefined, scanBy?: string) {
  if (!queries || queries.length === 0) throw missingParameter('The parameter MetricDataQueries is required.');
  const results = queries.map((q, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    if (q.Id === undefined) throw missingParameter(`The parameter ${at}.Id is required.`);
    // "The first character must be a lowercase letter." (API_MetricDataQuery, Id)
    if (!/^[a-z][A-Za-z0-9_]*$/.test(q.Id)) throw invalidParameterValue(`The value ${q.Id} for parameter ${at}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (q.Expression !== undefined) throw invalidParameterValue('Metric math expressions are not supported by the embedded cloud; use MetricStat.');
    if (!q.MetricStat) throw missingParameter(`The parameter ${at}.MetricStat is required.`);
    const m = q.MetricStat;
    if (m.Stat === undefined || (!isStatistic(m.Stat) && !isPercentile(m.Stat))) throw invalidParameterValue(`The value ${m.Stat} for parameter ${at}.MetricStat.Stat is invalid.`);
    const { start, end, period } = checkSpan(startTime, endTime, m.Period ?? q.Period);
    const series: Series | undefined = m.Metric.Namespace && m.Metric.MetricName ? store.find(m.Metric.Namespace, m.Metric.MetricName, m.Metric.Dimensions) : undefined;
    const timestamps: Date[] = [];
    const values: number[] = [];
    const periodMs = Math.max(60, period) * 1000;
    if (series) {
      for (const t of slots(start, end, periodMs)) {
        const agg = aggregate(series, t, Math.min(t + periodMs, end), m.Unit);
        if (!agg) continue;
        timestamps.push(new Date(t));
        values.push(statisticValue(agg, m.Stat));
      }
    }
    if (scanBy !== 'TimestampAscending') {
      timestamps.reverse();
      values.reverse();
    }
    return { Id: q.Id, Label: q.Label ?? m.Metric.MetricName, Timestamps: timestamps, Values: values, StatusCode: 'Complete', ReturnData: q.ReturnData };
  });
  return {
    MetricDataResults: results.filter((r) => r.ReturnData !== false).map(({ ReturnData: _r, ...rest }) => rest),
    Messages: [],
  };
}

export function listMetrics(store: MetricStore, input: { Namespace?: string; MetricName?: string; Dimensions: { Name: string; Value?: string }[]; NextToken?: string; RecentlyActive?: string }, now: number) {
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') {
    throw validationError([`Value '${input.RecentlyActive}' at 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]`]);
  }
  const since = input.RecentlyActive ? now - 3 * 3600_000 : now - TWO_WEEKS;
  const matching = [...store.all()]
    .filter(
      (s) =>
        (input.Namespace === undefined || s.namespace === input.Namespace) &&
        (input.MetricName === undefined || s.metricName === input.MetricName) &&
        input.Dimensions.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))) &&
        [...s.buckets.keys()].some((t) => t >= since - MINUTE_MS),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const from = input.NextToken === undefined ? 0 : Number(Buffer.from(input.NextToken, 'base64').toString('utf8'));
  if (!Number.isInteger(from) || from < 0) throw invalidParameterValue('The service returned an invalid NextToken.');
  // "Up to 500 results are returned for any one call."
  const page = matching.slice(from, from + 500);
  return {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions })),
    NextToken: matching.length > from + 500 ? Buffer.from(String(from + 500)).toString('base64') : undefined,
  };
}

/**
 * One handler per operation: read the wire input (JSON 1.0, CBOR and Query alike, see input.ts),
 * call the backend, return a plain object. Keys are AWS's operation names; routes.ts types them.
 */
import type { Clock } from '../../core/clock.js';
import type { CloudWatchBackend } from './backend.js';
import { bool, date, dimensions, int, num, str, strList, struct, structList, list, type In } from './input.js';
import type { MetricStore } from './metric-store.js';
import { getMetricData, getMetricStatistics, listMetrics, putMetricData, type MetricDatumInput } from './metric-api.js';
import type { CloudWatchOperationName } from './routes.js';

function numList(input: In, name: string): number[] | undefined {
  return list(input, name)?.map((_, i, all) => num({ v: all[i] }, 'v')!);
}

function metricAlarmInput(input: In) {
  return {
    AlarmName: str(input, 'AlarmName'),
    AlarmDescription: str(input, 'AlarmDescription'),
    ActionsEnabled: bool(input, 'ActionsEnabled'),
    OKActions: strList(input, 'OKActions'),
    AlarmActions: strList(input, 'AlarmActions'),
    InsufficientDataActions: strList(input, 'InsufficientDataActions'),
    MetricName: str(input, 'MetricName'),
    Namespace: str(input, 'Namespace'),
    Statistic: str(input, 'Statistic'),
    ExtendedStatistic: str(input, 'ExtendedStatistic'),
    Dimensions: dimensions(input),
    Period: int(input, 'Period'),
    Unit: str(input, 'Unit'),
    EvaluationPeriods: int(input, 'EvaluationPeriods'),
    DatapointsToAlarm: int(input, 'DatapointsToAlarm'),
    Threshold: num(input, 'Threshold'),
    ComparisonOperator: str(input, 'ComparisonOperator'),
    TreatMissingData: str(input, 'TreatMissingData'),
    EvaluateLowSampleCountPercentile: str(input, 'EvaluateLowSampleCountPercentile'),
    Tags: structList(input, 'Tags')?.map((t) => ({ Key: str(t, 'Key') ?? '', Value: str(t, 'Value') ?? '' })),
    Metrics: list(input, 'Metrics'),
    ThresholdMetricId: str(input, 'ThresholdMetricId'),
  };
}

function metricDatum(d: In): MetricDatumInput {
  const stats = d.StatisticValues === undefined ? undefined : struct(d.StatisticValues, 'StatisticValues');
  return {
    MetricName: str(d, 'MetricName'),
    Dimensions: dimensions(d),
    Timestamp: date(d, 'Timestamp'),
    Value: num(d, 'Value'),
    StatisticValues: stats && {
      SampleCount: num(stats, 'SampleCount'),
      Sum: num(stats, 'Sum'),
      Minimum: num(stats, 'Minimum'),
      Maximum: num(stats, 'Maximum'),
    },
    Values: numList(d, 'Values'),
    Counts: numList(d, 'Counts'),
    Unit: str(d, 'Unit'),
    StorageResolution: int(d, 'StorageResolution'),
  };
}

export function cloudWatchHandlers(backend: CloudWatchBackend, metrics: MetricStore, clock: Clock): Record<CloudWatchOperationName, (input: In) => unknown> {
  return {
    PutMetricAlarm: (input) => {
      backend.putMetricAlarm(metricAlarmInput(input));
      return {};
    },
    DescribeAlarms: (input) =>
      backend.describeAlarms({
        AlarmNames: strList(input, 'AlarmNames'),
        AlarmNamePrefix: str(input, 'AlarmNamePrefix'),
        AlarmTypes: strList(input, 'AlarmTypes'),
        StateValue: str(input, 'StateValue'),
        ActionPrefix: str(input, 'ActionPrefix'),
        MaxRecords: int(input, 'MaxRecords'),
        NextToken: str(input, 'NextToken'),
      }),
    DescribeAlarmsForMetric: (input) =>
      backend.describeAlarmsForMetric({
        MetricName: str(input, 'MetricName'),
        Namespace: str(input, 'Namespace'),
        Statistic: str(input, 'Statistic'),
        ExtendedStatistic: str(input, 'ExtendedStatistic'),
        Dimensions: input.Dimensions === undefined ? undefined : dimensions(input),
        Period: int(input, 'Period'),
        Unit: str(input, 'Unit'),
      }),
    DescribeAlarmHistory: (input) =>
      backend.describeAlarmHistory({
        AlarmName: str(input, 'AlarmName'),
        AlarmTypes: strList(input, 'AlarmTypes'),
        HistoryItemType: str(input, 'HistoryItemType'),
        StartDate: date(input, 'StartDate'),
        EndDate: date(input, 'EndDate'),
        MaxRecords: int(input, 'MaxRecords'),
        NextToken: str(input, 'NextToken'),
        ScanBy: str(input, 'ScanBy'),
      }),
    SetAlarmState: (input) => {
      backend.setAlarmState({
        AlarmName: str(input, 'AlarmName'),
        StateValue: str(input, 'StateValue'),
        StateReason: str(input, 'StateReason'),
        StateReasonData: str(input, 'StateReasonData'),
      });
      return {};
    },
    DeleteAlarms: (input) => {
      backend.deleteAlarms(strList(input, 'AlarmNames'));
      return {};
    },
    EnableAlarmActions: (input) => {
      backend.enableAlarmActions(strList(input, 'AlarmNames'));
      return {};
    },
    DisableAlarmActions: (input) => {
      backend.disableAlarmActions(strList(input, 'AlarmNames'));
      return {};
    },
    PutMetricData: (input) => {
      putMetricData(metrics, clock.now(), str(input, 'Namespace'), structList(input, 'MetricData')?.map(metricDatum));
      return {};
    },
    GetMetricStatistics: (input) =>
      getMetricStatistics(metrics, {
        Namespace: str(input, 'Namespace'),
        MetricName: str(input, 'MetricName'),
        Dimensions: dimensions(input),
        StartTime: date(input, 'StartTime'),
        EndTime: date(input, 'EndTime'),
        Period: int(input, 'Period'),
        Statistics: strList(input, 'Statistics'),
        ExtendedStatistics: strList(input, 'ExtendedStatistics'),
        Unit: str(input, 'Unit'),
      }),
    GetMetricData: (input) =>
      getMetricData(
        metrics,
        structList(input, 'MetricDataQueries')?.map((q) => {
          const stat = q.MetricStat === undefined ? undefined : struct(q.MetricStat, 'MetricStat');
          const metric = stat?.Metric === undefined ? undefined : struct(stat.Metric, 'Metric');
          return {
            Id: str(q, 'Id'),
            Expression: str(q, 'Expression'),
            Label: str(q, 'Label'),
            ReturnData: bool(q, 'ReturnData'),
            Period: int(q, 'Period'),
            MetricStat: stat && {
              Metric: { Namespace: metric && str(metric, 'Namespace'), MetricName: metric && str(metric, 'MetricName'), Dimensions: metric ? dimensions(metric) : [] },
              Period: int(stat, 'Period'),
              Stat: str(stat, 'Stat'),
              Unit: str(stat, 'Unit'),
            },
          };
        }),
        date(input, 'StartTime'),
        date(input, 'EndTime'),
        str(input, 'ScanBy'),
      ),
    ListMetrics: (input) =>
      listMetrics(
        metrics,
        {
          Namespace: str(input, 'Namespace'),
          MetricName: str(input, 'MetricName'),
          Dimensions: dimensions(input, 'Dimensions', false),
          NextToken: str(input, 'NextToken'),
          RecentlyActive: str(input, 'RecentlyActive'),
        },
        clock.now(),
      ),
  };
}

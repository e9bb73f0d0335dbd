/**
 * Metric alarms: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DescribeAlarmHistory,
 * SetAlarmState, DeleteAlarms, Enable/DisableAlarmActions, and the transitions the scheduler applies.
 * Texts and JSON shapes: codedeploy-cloudwatch-sam.md D.1–D.5, each with its source.
 *
 * Known limits: metric math alarms (`Metrics`), composite and anomaly-detection alarms are refused;
 * actions (SNS, Auto Scaling ...) are recorded but never run; periods below 60 s are evaluated on
 * one-minute data.
 */
import type { AlarmHistoryItem, MetricAlarm } from './model.js';
import type { StateValue } from './alarm-evaluation.js';
import { isoMillis } from './alarm-evaluation.js';

export const STATE_VALUES: readonly StateValue[] = ['INSUFFICIENT_DATA', 'ALARM', 'OK'];
export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
] as const;
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'];
/** StandardUnit (API_MetricDatum.html) */
export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
];

export const INITIAL_REASON = 'Unchecked: Initial alarm creation';

/** AlarmHistoryItem for a state change (D.5): summary `Alarm updated from OLD to NEW`, HistoryData JSON */
export function stateUpdateItem(before: MetricAlarm, after: MetricAlarm, now: number): AlarmHistoryItem {
  const side = (a: MetricAlarm, withData: boolean) => {
    const parts = [`"stateValue":${JSON.stringify(a.StateValue)}`, `"stateReason":${JSON.stringify(a.StateReason)}`];
    if (withData && a.StateReasonData) parts.push(`"stateReasonData":${a.StateReasonData}`);
    return `{${parts.join(',')}}`;
  };
  return {
    AlarmName: after.AlarmName,
    AlarmType: 'MetricAlarm',
    Timestamp: now,
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${before.StateValue} to ${after.StateValue}`,
    HistoryData: `{"version":"1.0","oldState":${side(before, false)},"newState":${side(after, true)}}`,
  };
}

/**
 * ConfigurationUpdate (D.5): `Alarm "X" created` with `{"type":"Create","createdAlarm":{…}}`;
 * [inf] `updated` with `Update`/`updatedAlarm` and `deleted` with `Delete`/`deletedAlarm`.
 */
export function configurationItem(alarm: MetricAlarm, kind: 'Create' | 'Update' | 'Delete', now: number): AlarmHistoryItem {
  const verb = kind === 'Create' ? 'created' : kind === 'Update' ? 'updated' : 'deleted';
  const member = kind === 'Create' ? 'createdAlarm' : kind === 'Update' ? 'updatedAlarm' : 'deletedAlarm';
  return {
    AlarmName: alarm.AlarmName,
    AlarmType: 'MetricAlarm',
    Timestamp: now,
    HistoryItemType: 'ConfigurationUpdate',
    HistorySummary: `Alarm "${alarm.AlarmName}" ${verb}`,
    HistoryData: JSON.stringify({ version: '1.0', type: kind, [member]: historyAlarm(alarm) }),
  };
}

/** the alarm in history's camelCase (a real 2014 dump: `okactions` really is lower-case there) */
function historyAlarm(a: MetricAlarm): Record<string, unknown> {
  return {
    timestamp: isoMillis(a.AlarmConfigurationUpdatedTimestamp),
    alarmName: a.AlarmName,
    alarmArn: a.AlarmArn,
    alarmDescription: a.AlarmDescription,
    namespace: a.Namespace,
    metricName: a.MetricName,
    dimensions: a.Dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    period: a.Period,
    unit: a.Unit,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator,
    treatMissingData: a.TreatMissingData,
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    stateValue: a.StateValue,
    actionsEnabled: a.ActionsEnabled,
    alarmActions: a.AlarmActions,
    okactions: a.OKActions,
    insufficientDataActions: a.InsufficientDataActions,
    alarmConfigurationUpdatedTimestamp: isoMillis(a.AlarmConfigurationUpdatedTimestamp),
    stateUpdatedTimestamp: isoMillis(a.StateUpdatedTimestamp),
  };
}

/** MetricAlarm as DescribeAlarms answers it (times as Dates; DatapointsToAlarm only when set) */
export function describeAlarm(a: MetricAlarm): Record<string, unknown> {
  return {
    AlarmName: a.AlarmName,
    AlarmArn: a.AlarmArn,
    AlarmDescription: a.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(a.AlarmConfigurationUpdatedTimestamp),
    ActionsEnabled: a.ActionsEnabled,
    OKActions: a.OKActions,
    AlarmActions: a.AlarmActions,
    InsufficientDataActions: a.InsufficientDataActions,
    StateValue: a.StateValue,
    StateReason: a.StateReason,
    StateReasonData: a.StateReasonData,
    StateUpdatedTimestamp: new Date(a.StateUpdatedTimestamp),
    MetricName: a.MetricName,
    Namespace: a.Namespace,
    Statistic: a.Statistic,
    ExtendedStatistic: a.ExtendedStatistic,
    Dimensions: a.Dimensions,
    Period: a.Period,
    Unit: a.Unit,
    EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm,
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    TreatMissingData: a.TreatMissingData,
    EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
    StateTransitionedTimestamp: new Date(a.StateTransitionedTimestamp),
  };
}

/** the alarm after moving to `state` with `reason` at `now` (a new object; the old one is kept for history) */
export function withState(a: MetricAlarm, state: StateValue, reason: string, reasonData: string | undefined, now: number, setByCaller: boolean): MetricAlarm {
  const next: MetricAlarm = { ...a, StateValue: state, StateReason: reason, StateUpdatedTimestamp: now };
  if (reasonData === undefined) delete next.StateReasonData;
  else next.StateReasonData = reasonData;
  if (state !== a.StateValue) next.StateTransitionedTimestamp = now;
  if (setByCaller) next.stateSetByCaller = true;
  else delete next.stateSetByCaller;
  return next;
}

/**
 * CloudWatch's records as persisted (times as epoch ms; handlers turn them into Dates).
 * MetricAlarm members are AWS's (API_MetricAlarm.html).
 */
import type { Dimension } from './metric-store.js';
import type { StateValue } from './alarm-evaluation.js';

export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: StateValue;
  StateReason: string;
  StateReasonData?: string;
  /** ms: the last change of StateValue or StateReason */
  StateUpdatedTimestamp: number;
  /** ms: the last change of StateValue */
  StateTransitionedTimestamp: number;
  AlarmConfigurationUpdatedTimestamp: number;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Tags?: { Key: string; Value: string }[];
  /**
   * Set by SetAlarmState: the state holds until the next evaluation, which then writes the computed
   * state whatever it was before ("lasts only until the next alarm comparison").
   */
  stateSetByCaller?: boolean;
}

export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmHistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm';
  /** ms */
  Timestamp: number;
  HistoryItemType: HistoryItemType;
  HistorySummary: string;
  /** a JSON string */
  HistoryData: string;
}

export interface CloudWatchAlarmsDocument {
  format: 1;
  alarms: MetricAlarm[];
  /** every alarm's history, oldest first; it outlives a deleted alarm, as on AWS */
  history: AlarmHistoryItem[];
}

/**
 * The members of the answers this cloud gives that CloudWatch's model types as `double`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/): MetricAlarm's Threshold;
 * Datapoint's SampleCount, Average, Sum, Minimum, Maximum and ExtendedStatistics (a map of
 * doubles); MetricDataResult's Values (a list of doubles). Not Period, EvaluationPeriods or
 * DatapointsToAlarm (integers). The RPC v2 CBOR codec writes them as floats (ServiceDefinition).
 */
export const DOUBLE_MEMBERS: ReadonlySet<string> = new Set(['Threshold', 'SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum', 'ExtendedStatistics', 'Values']);

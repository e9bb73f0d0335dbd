/**
 * The CloudWatch backend: typed methods named after the operations of API 2010-08-01. It never sees
 * HTTP; handlers.ts reads the wire input (JSON 1.0, CBOR or Query alike) and calls it. Alarms live in
 * AlarmState (persisted on every change), metric data in the MetricStore (persisted by the
 * scheduler each evaluation and at shutdown).
 *
 * Known limits (the emulator's, not AWS's): see alarms.ts and metric-store.ts; one account and
 * Region; no dashboards, insight rules, metric streams, anomaly detectors or composite alarms.
 */
import type { Clock } from '../../core/clock.js';
import { evaluateAlarm, evaluationRange, type Datapoint, type StateValue } from './alarm-evaluation.js';
import { AlarmState } from './alarm-state.js';
import {
  COMPARISON_OPERATORS,
  configurationItem,
  describeAlarm,
  INITIAL_REASON,
  STATE_VALUES,
  stateUpdateItem,
  TREAT_MISSING_DATA,
  UNITS,
  withState,
} from './alarms.js';
import { alarmNotFound, invalidFormat, invalidNextToken, invalidParameterCombination, invalidParameterValue, missingParameter, validationError } from './errors.js';
import { sortDimensions, type Dimension, type MetricStore } from './metric-store.js';
import type { AlarmHistoryItem, MetricAlarm } from './model.js';
import { aggregate, isPercentile, statisticValue } from './statistics.js';
import type { StateStore } from '../../core/store.js';

export interface PutMetricAlarmInput {
  AlarmName?: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Tags?: { Key: string; Value: string }[];
  /** metric math: refused (known limit) */
  Metrics?: unknown[];
  ThresholdMetricId?: string;
}

export interface DescribeAlarmsInput {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  AlarmTypes?: string[];
  StateValue?: string;
  ActionPrefix?: string;
  MaxRecords?: number;
  NextToken?: string;
}

export interface DescribeAlarmHistoryInput {
  AlarmName?: string;
  AlarmTypes?: string[];
  HistoryItemType?: string;
  StartDate?: number;
  EndDate?: number;
  MaxRecords?: number;
  NextToken?: string;
  ScanBy?: string;
}

export interface CloudWatchBackendDeps {
  store: StateStore;
  clock: Clock;
  metrics: MetricStore;
  region: string;
  accountId: string;
}

/** a required member that is absent: AWS's Coral wording */
function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw validationError([`Value null at '${member}' failed to satisfy constraint: Member must not be null`]);
  return value;
}

function lengthBetween(value: string, member: string, min: number, max: number): string[] {
  return value.length < min || value.length > max
    ? [`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length ${value.length < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`]
    : [];
}

function enumOf(value: string | undefined, member: string, allowed: readonly string[]): string[] {
  return value !== undefined && !allowed.includes(value)
    ? [`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`]
    : [];
}

function atLeast(value: number | undefined, member: string, min: number): string[] {
  return value !== undefined && value < min ? [`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`] : [];
}

/** opaque page tokens: the name (or index) to resume after, base64 */
const token = (value: string) => Buffer.from(value, 'utf8').toString('base64');
function untoken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (!decoded || token(decoded) !== value) throw invalidNextToken();
  return decoded;
}

export class CloudWatchBackend {
  readonly alarms: AlarmState;
  private readonly clock: Clock;
  private readonly metrics: MetricStore;

  constructor(private readonly deps: CloudWatchBackendDeps) {
    this.alarms = new AlarmState(deps.store);
    this.clock = deps.clock;
    this.metrics = deps.metrics;
  }

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html */
  putMetricAlarm(input: PutMetricAlarmInput): void {
    const name = required(input.AlarmName, 'alarmName');
    const evaluationPeriods = required(input.EvaluationPeriods, 'evaluationPeriods');
    const comparison = required(input.ComparisonOperator, 'comparisonOperator');
    const problems = [
      ...lengthBetween(name, 'alarmName', 1, 255),
      ...enumOf(comparison, 'comparisonOperator', COMPARISON_OPERATORS),
      ...enumOf(input.Statistic, 'statistic', ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']),
      ...enumOf(input.Unit, 'unit', UNITS),
      ...atLeast(evaluationPeriods, 'evaluationPeriods', 1),
      ...atLeast(input.DatapointsToAlarm, 'datapointsToAlarm', 1),
      ...atLeast(input.Period, 'period', 1),
    ];
    if (problems.length) throw validationError(problems);
    if (input.Metrics !== undefined && input.Metrics.length > 0) {
      throw invalidParameterValue('Metric math alarms (Metrics) are not supported by the embedded cloud; use MetricName, Namespace and Statistic.');
    }
    if (comparison.includes('Lower') || comparison.includes('Upper')) {
      throw invalidParameterValue(`ComparisonOperator ${comparison} is for anomaly detection alarms, which the embedded cloud does not support.`);
    }
    if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined) {
      throw invalidParameterCombination('Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.');
    }
    if (input.Statistic === undefined && input.ExtendedStatistic === undefined) {
      throw invalidParameterCombination('Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.');
    }
    if (input.ExtendedStatistic !== undefined && !isPercentile(input.ExtendedStatistic)) {
      throw invalidParameterValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
    }
    if (input.MetricName === undefined) throw missingParameter('The parameter MetricName is required.');
    if (input.Namespace === undefined) throw missingParameter('The parameter Namespace is required.');
    const period = input.Period;
    if (period === undefined) throw missingParameter('The parameter Period is required.');
    // "Valid values are 10, 20, 30, and any multiple of 60." (API_PutMetricAlarm, Period)
    if (![10, 20, 30].includes(period) && period % 60 !== 0) {
      throw invalidParameterValue('The parameter Period must be 10, 20, 30, or a multiple of 60.');
    }
    if (input.Threshold === undefined) throw missingParameter('The parameter Threshold is required.');
    // "the number of periods specified multiplied by the length of each period must be less than or equal to one day" 
    if (period * evaluationPeriods > 86_400) {
      throw invalidParameterValue('The evaluation period multiplied by the number of periods must be less than or equal to 86400 seconds (1 day).');
    }
    if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > evaluationPeriods) {
      throw invalidParameterValue('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
    }
    if (input.TreatMissingData !== undefined && !TREAT_MISSING_DATA.includes(input.TreatMissingData)) {
      throw invalidParameterValue(`The value ${input.TreatMissingData} for parameter TreatMissingData is not supported; use one of ${TREAT_MISSING_DATA.join(', ')}.`);
    }

    const now = this.clock.now();
    const existing = this.alarms.get(name);
    const alarm: MetricAlarm = {
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:${this.deps.region}:${this.deps.accountId}:alarm:${name}`,
      AlarmDescription: input.AlarmDescription,
      ActionsEnabled: input.ActionsEnabled ?? true,
      OKActions: input.OKActions ?? [],
      AlarmActions: input.AlarmActions ?? [],
      InsufficientDataActions: input.InsufficientDataActions ?? [],
      // "When this operation creates an alarm, the alarm state is immediately set to
      // INSUFFICIENT_DATA ... When you update an existing alarm, its state is left unchanged"
      StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: existing?.StateReason ?? INITIAL_REASON,
      StateReasonData: existing?.StateReasonData,
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
      AlarmConfigurationUpdatedTimestamp: now,
      MetricName: input.MetricName,
      Namespace: input.Namespace,
      Statistic: input.Statistic,
      ExtendedStatistic: input.ExtendedStatistic,
      Dimensions: input.Dimensions ?? [],
      Period: period,
      Unit: input.Unit,
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: input.DatapointsToAlarm,
      Threshold: input.Threshold,
      ComparisonOperator: comparison,
      TreatMissingData: input.TreatMissingData,
      EvaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
      Tags: input.Tags ?? existing?.Tags,
    };
    if (alarm.StateReasonData === undefined) delete alarm.StateReasonData;
    this.alarms.commit({ put: [alarm], items: [configurationItem(alarm, existing ? 'Update' : 'Create', now)] }, now);
  }

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html */
  describeAlarms(input: DescribeAlarmsInput) {
    if (input.AlarmNames !== undefined && input.AlarmNames.length > 0 && input.AlarmNamePrefix !== undefined) {
      throw invalidParameterCombination('AlarmNamePrefix and AlarmNames cannot be specified together.');
    }
    const problems = [
      ...enumOf(input.StateValue, 'stateValue', STATE_VALUES),
      ...(input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)
        ? [`Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${input.MaxRecords < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`]
        : []),
      ...(input.AlarmTypes ?? []).flatMap((t, i) => enumOf(t, `alarmTypes.${i + 1}.member`, ['CompositeAlarm', 'MetricAlarm'])),
    ];
    if (problems.length) throw validationError(problems);
    const wantsMetric = input.AlarmTypes === undefined || input.AlarmTypes.length === 0 || input.AlarmTypes.includes('MetricAlarm');
    const names = input.AlarmNames?.length ? new Set(input.AlarmNames) : undefined;
    const after = untoken(input.NextToken);
    const matching = wantsMetric
      ? this.alarms.list().filter(
          (a) =>
            (!names || names.has(a.AlarmName)) &&
            (input.AlarmNamePrefix === undefined || a.AlarmName.startsWith(input.AlarmNamePrefix)) &&
            (input.StateValue === undefined || a.StateValue === input.StateValue) &&
            (input.ActionPrefix === undefined || [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((x) => x.startsWith(input.ActionPrefix!))) &&
            (after === undefined || a.AlarmName > after),
        )
      : [];
    const max = input.MaxRecords ?? 50;
    const page = matching.slice(0, max);
    return {
      MetricAlarms: page.map(describeAlarm),
      CompositeAlarms: [],
      NextToken: matching.length > max ? token(page[page.length - 1].AlarmName) : undefined,
    };
  }

  /** For CodeDeploy's alarm reader: each named alarm's state, or undefined when it does not exist. */
  alarmStates(names: readonly string[]): Map<string, StateValue | undefined> {
    return new Map(names.map((n) => [n, this.alarms.get(n)?.StateValue]));
  }

  /**
   * For CodeDeploy's alarm reader: the named alarms with a StateUpdate to ALARM after `since`
   * (their history, as DescribeAlarmHistory lists it), whatever their state now. Strictly after: on
   * a cloud clock slowed to a standstill (tests run at --speed 0.0001) the deployment's start and an
   * alarm set back to OK just before it share a millisecond, and that earlier ALARM stopped it; an
   * ALARM in the same millisecond as a look and over by the next is the only one missed.
   */
  enteredAlarmSince(names: readonly string[], since: number): string[] {
    const wanted = new Set(names);
    const entered = new Set<string>();
    for (const h of this.alarms.historyItems()) {
      if (h.Timestamp > since && h.HistoryItemType === 'StateUpdate' && wanted.has(h.AlarmName) && / to ALARM$/.test(h.HistorySummary)) entered.add(h.AlarmName);
    }
    return names.filter((n) => entered.has(n));
  }

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmsForMetric.html */
  describeAlarmsForMetric(input: { MetricName?: string; Namespace?: string; Statistic?: string; ExtendedStatistic?: string; Dimensions?: Dimension[]; Period?: number; Unit?: string }) {
    const metricName = required(input.MetricName, 'metricName');
    const namespace = required(input.Namespace, 'namespace');
    const key = (d: readonly Dimension[]) => JSON.stringify(sortDimensions(d));
    const dims = input.Dimensions ? key(input.Dimensions) : undefined;
    return {
      MetricAlarms: this.alarms
        .list()
        .filter(
          (a) =>
            a.MetricName === metricName &&
            a.Namespace === namespace &&
            (input.Statistic === undefined || a.Statistic === input.Statistic) &&
            (input.ExtendedStatistic === undefined || a.ExtendedStatistic === input.ExtendedStatistic) &&
            (input.Period === undefined || a.Period === input.Period) &&
            (input.Unit === undefined || a.Unit === input.Unit) &&
            (dims === undefined || key(a.Dimensions) === dims),
        )
        .map(describeAlarm),
    };
  }

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html */
  describeAlarmHistory(input: DescribeAlarmHistoryInput) {
    const problems = [
      ...enumOf(input.HistoryItemType, 'historyItemType', ['ConfigurationUpdate', 'StateUpdate', 'Action', 'AlarmContributorStateUpdate', 'AlarmContributorAction']),
      ...enumOf(input.ScanBy, 'scanBy', ['TimestampDescending', 'TimestampAscending']),
      ...(input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)
        ? [`Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${input.MaxRecords < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`]
        : []),
    ];
    if (problems.length) throw validationError(problems);
    const wantsMetric = input.AlarmTypes === undefined || input.AlarmTypes.length === 0 || input.AlarmTypes.includes('MetricAlarm');
    let items: AlarmHistoryItem[] = this.alarms.historyItems().filter(
      (h) =>
        wantsMetric &&
        (input.AlarmName === undefined || h.AlarmName === input.AlarmName) &&
        (input.HistoryItemType === undefined || h.HistoryItemType === input.HistoryItemType) &&
        (input.StartDate === undefined || h.Timestamp >= input.StartDate) &&
        (input.EndDate === undefined || h.Timestamp <= input.EndDate),
    );
    if (input.ScanBy !== 'TimestampAscending') items = [...items].reverse();
    const from = Number(untoken(input.NextToken) ?? '0');
    if (!Number.isInteger(from) || from < 0) throw invalidNextToken();
    const max = input.MaxRecords ?? 100;
    const page = items.slice(from, from + max);
    return {
      AlarmHistoryItems: page.map((h) => ({ ...h, Timestamp: new Date(h.Timestamp) })),
      NextToken: items.length > from + max ? token(String(from + max)) : undefined,
    };
  }

  /**
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
   * "Temporarily sets the state of an alarm": the next evaluation writes the computed state.
   */
  setAlarmState(input: { AlarmName?: string; StateValue?: string; StateReason?: string; StateReasonData?: string }): void {
    const name = required(input.AlarmName, 'alarmName');
    const value = required(input.StateValue, 'stateValue');
    const reason = required(input.StateReason, 'stateReason');
    const problems = [...enumOf(value, 'stateValue', STATE_VALUES), ...lengthBetween(reason, 'stateReason', 0, 1023)];
    if (problems.length) throw validationError(problems);
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw invalidFormat('StateReasonData is not valid JSON.');
      }
    }
    const alarm = this.alarms.get(name);
    if (!alarm) throw alarmNotFound(name);
    const now = this.clock.now();
    const next = withState(alarm, value as StateValue, reason, input.StateReasonData, now, true);
    // [inf] a call that does not change the state writes no history item (open point 7 of the sources)
    const items = next.StateValue !== alarm.StateValue ? [stateUpdateItem(alarm, next, now)] : [];
    this.alarms.commit({ put: [next], items }, now);
  }

  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html */
  deleteAlarms(names: string[] | undefined): void {
    const list = required(names, 'alarmNames');
    // "If you specify an incorrect alarm name or make any other error in the operation, no alarms are deleted."
    const missing = list.find((n) => !this.alarms.get(n));
    if (missing !== undefined) throw alarmNotFound(missing);
    const now = this.clock.now();
    const items = [...new Set(list)].map((n) => configurationItem(this.alarms.get(n)!, 'Delete', now));
    this.alarms.commit({ deleted: list, items }, now);
  }

  enableAlarmActions(names: string[] | undefined): void {
    this.setActionsEnabled(required(names, 'alarmNames'), true);
  }

  disableAlarmActions(names: string[] | undefined): void {
    this.setActionsEnabled(required(names, 'alarmNames'), false);
  }

  private setActionsEnabled(names: string[], enabled: boolean): void {
    const now = this.clock.now();
    const put = names.flatMap((n) => {
      const a = this.alarms.get(n);
      return a ? [{ ...a, ActionsEnabled: enabled }] : [];
    });
    this.alarms.commit({ put }, now);
  }

  /**
   * One evaluation of every alarm at `now` (the scheduler calls it each cloud minute): the computed
   * state is written when it differs from the current one, or when SetAlarmState set the current one.
   */
  evaluateAlarms(now = this.clock.now()): void {
    const put: MetricAlarm[] = [];
    const items: AlarmHistoryItem[] = [];
    for (const alarm of this.alarms.list()) {
      // sub-minute periods are evaluated on one-minute data (known limit)
      const result = evaluateAlarm({ ...alarm, Period: Math.max(60, alarm.Period) }, this.datapointsFor(alarm, now), now);
      if (result.state === undefined) {
        // kept: a state set by SetAlarmState stays too, but only until this evaluation [inf]
        if (alarm.stateSetByCaller) put.push(withState(alarm, alarm.StateValue, alarm.StateReason, alarm.StateReasonData, alarm.StateUpdatedTimestamp, false));
        continue;
      }
      if (result.state === alarm.StateValue && !alarm.stateSetByCaller) continue;
      const next = withState(alarm, result.state, result.reason, result.reasonData, now, false);
      put.push(next);
      if (next.StateValue !== alarm.StateValue) items.push(stateUpdateItem(alarm, next, now));
    }
    if (put.length) this.alarms.commit({ put, items }, now);
  }

  /** the alarm's statistic per period over its evaluation range */
  datapointsFor(alarm: MetricAlarm, now: number): Datapoint[] {
    const series = this.metrics.find(alarm.Namespace, alarm.MetricName, alarm.Dimensions);
    if (!series) return [];
    const { first, last, periodMs } = evaluationRange(Math.max(60, alarm.Period), alarm.EvaluationPeriods, now);
    const stat = alarm.Statistic ?? alarm.ExtendedStatistic!;
    const points: Datapoint[] = [];
    for (let t = first; t <= last; t += periodMs) {
      const agg = aggregate(series, t, t + periodMs, alarm.Unit);
      if (agg) points.push({ timestamp: t, value: statisticValue(agg, stat), sampleCount: agg.count });
    }
    return points;
  }
}

/**
 * Metric alarm evaluation: a pure function of (alarm, datapoints, now). The scheduler fetches the
 * datapoints of the evaluation range and applies what this decides; tests drive it with tables.
 *
 * The model (CloudWatch User Guide, "Evaluating an alarm" and "Configuring how CloudWatch alarms
 * treat missing data", AlarmThatSendsEmail.md / alarms-and-missing-data.md):
 * - N = EvaluationPeriods, M = DatapointsToAlarm (N when not set).
 * - CloudWatch fetches an evaluation range longer than N periods. [inf] The range is N + 2 periods
 *   (the guide's example: N = 3, range 5); RANGE_EXTRA below.
 * - At least N real points in the range: the N most recent real points decide, missing data is not
 *   used: ALARM when M or more breach, else OK.
 * - Fewer than N real points: the rest are filled with TreatMissingData, "as few times as
 *   possible": `breaching` and `notBreaching` count the filled points as such; `missing` with no
 *   real point at all gives INSUFFICIENT_DATA, `ignore` keeps the state.
 * - `missing` / `ignore` with some real points: ALARM when M of them breach. The premature-alarm
 *   rule: when every real point breaches and the oldest of them is at least M periods old, the alarm
 *   goes to ALARM with fewer than M points (`ignore`: keeps its state instead). When every real
 *   point breaches but the oldest is younger, "the alarm does not alarm yet": [inf] the state is kept.
 *   Otherwise OK. These rules reproduce both decision tables of the guide (alarm-evaluation tests).
 * - `AWS/DynamoDB` alarms always ignore missing data.
 */
import type { MetricAlarm } from './model.js';

export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** one period of the metric, as the alarm's statistic made it */
export interface Datapoint {
  /** start of the period, epoch ms */
  timestamp: number;
  value: number;
  sampleCount: number;
}

export interface Evaluation {
  /** undefined: keep the current state (and write nothing) */
  state?: StateValue;
  reason: string;
  /** the StateReasonData JSON string */
  reasonData: string;
}

/** periods fetched beyond EvaluationPeriods ([inf], see above) */
export const RANGE_EXTRA = 2;

/** start of the most recent complete period at `now`, and the range's first period */
export function evaluationRange(period: number, evaluationPeriods: number, now: number): { first: number; last: number; periodMs: number } {
  const periodMs = period * 1000;
  const last = Math.floor(now / periodMs) * periodMs - periodMs;
  return { first: last - (evaluationPeriods + RANGE_EXTRA - 1) * periodMs, last, periodMs };
}

type Alarmish = Pick<
  MetricAlarm,
  'Period' | 'EvaluationPeriods' | 'DatapointsToAlarm' | 'Threshold' | 'ComparisonOperator' | 'TreatMissingData' | 'Namespace' | 'Statistic' | 'ExtendedStatistic' | 'Unit' | 'StateValue'
>;

export function isBreaching(alarm: Pick<MetricAlarm, 'ComparisonOperator' | 'Threshold'>, value: number): boolean {
  const t = alarm.Threshold;
  switch (alarm.ComparisonOperator) {
    case 'GreaterThanThreshold':
      return value > t;
    case 'GreaterThanOrEqualToThreshold':
      return value >= t;
    case 'LessThanThreshold':
      return value < t;
    case 'LessThanOrEqualToThreshold':
      return value <= t;
    default:
      return false;
  }
}

/**
 * Decide the alarm's state at `now` from `points`: the periods of the evaluation range that have
 * data (any order; others are missing).
 */
export function evaluateAlarm(alarm: Alarmish, points: readonly Datapoint[], now: number): Evaluation {
  const n = alarm.EvaluationPeriods;
  const m = alarm.DatapointsToAlarm ?? n;
  const { first, last, periodMs } = evaluationRange(alarm.Period, n, now);
  const inRange = points.filter((p) => p.timestamp >= first && p.timestamp <= last).sort((a, b) => b.timestamp - a.timestamp);
  const treat = alarm.Namespace === 'AWS/DynamoDB' ? 'ignore' : (alarm.TreatMissingData ?? 'missing');
  const ctx: ReasonContext = { alarm, now, periodMs, last, m, n };

  if (inRange.length >= n) {
    const evaluated = inRange.slice(0, n);
    const breaching = evaluated.filter((p) => isBreaching(alarm, p.value));
    return breaching.length >= m ? decided('ALARM', evaluated, 0, ctx) : decided('OK', evaluated, 0, ctx);
  }

  const fill = n - inRange.length;
  const breaching = inRange.filter((p) => isBreaching(alarm, p.value)).length;
  if (treat === 'breaching') return decided(breaching + fill >= m ? 'ALARM' : 'OK', inRange, fill, ctx, 'Breaching');
  if (treat === 'notBreaching') return decided(breaching >= m ? 'ALARM' : 'OK', inRange, fill, ctx, 'NonBreaching');

  // missing or ignore
  if (inRange.length === 0) {
    if (treat === 'ignore') return kept(inRange, ctx);
    return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`, reasonData: reasonData(ctx, inRange, true) };
  }
  if (breaching >= m) return decided('ALARM', inRange, 0, ctx);
  if (breaching === inRange.length) {
    const oldestAge = (last - inRange[inRange.length - 1].timestamp) / periodMs + 1;
    if (oldestAge >= m && treat === 'missing') return decided('ALARM', inRange, 0, ctx);
    return kept(inRange, ctx);
  }
  return decided('OK', inRange, 0, ctx);
}

interface ReasonContext {
  alarm: Alarmish;
  now: number;
  periodMs: number;
  last: number;
  m: number;
  n: number;
}

function kept(points: readonly Datapoint[], ctx: ReasonContext): Evaluation {
  return { reason: '', reasonData: reasonData(ctx, points, false) };
}

const WORDS: Record<string, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * AWS's StateReason (codedeploy-cloudwatch-sam.md D.2): the datapoints that made the decision, most
 * recent first, as `value (dd/MM/yy HH:mm:ss)`: the breaching ones for ALARM, the others for OK
 * [inf]. With DatapointsToAlarm set, the M-of-N form `X out of the last N datapoints ... (minimum M
 * datapoints for OLD -> NEW transition)` [inf, as console-made alarms show it].
 */
function decided(state: 'OK' | 'ALARM', points: readonly Datapoint[], fill: number, ctx: ReasonContext, treatedAs?: string): Evaluation {
  const { alarm } = ctx;
  const shown = points.filter((p) => isBreaching(alarm, p.value) === (state === 'ALARM'));
  const word = (state === 'ALARM' ? '' : 'not ') + (WORDS[alarm.ComparisonOperator] ?? alarm.ComparisonOperator);
  const list = `[${shown.map((p) => `${javaDouble(p.value)} (${reasonTime(p.timestamp)})`).join(', ')}]`;
  const verb = shown.length === 1 ? 'was' : 'were';
  const threshold = `the threshold (${javaDouble(alarm.Threshold)})`;
  let reason: string;
  if (points.length === 0) {
    reason = `Threshold Crossed: no datapoints were received for ${fill} ${plural(fill, 'period')} and ${fill} missing ${plural(fill, 'datapoint')} ${fill === 1 ? 'was' : 'were'} treated as [${treatedAs}].`;
  } else if (alarm.DatapointsToAlarm !== undefined) {
    const from = alarm.StateValue ?? 'INSUFFICIENT_DATA';
    const m = ctx.m;
    reason =
      `Threshold Crossed: ${shown.length} out of the last ${points.length} datapoints ${list} ${verb} ${word} ${threshold} ` +
      `(minimum ${m} ${plural(m, 'datapoint')} for ${from} -> ${state} transition).`;
  } else {
    reason = `Threshold Crossed: ${shown.length} ${plural(shown.length, 'datapoint')} ${list} ${verb} ${word} ${threshold}`;
    if (fill > 0) reason += ` and ${fill} missing ${plural(fill, 'datapoint')} ${fill === 1 ? 'was' : 'were'} treated as [${treatedAs}].`;
    else reason += '.';
  }
  return { state, reason, reasonData: reasonData(ctx, points, points.length === 0) };
}

/**
 * StateReasonData (D.3): a JSON string; numbers as Java doubles (`1.0`); `startDate` the oldest
 * evaluated point, absent when none; `unit` only when the alarm has one. With no real points,
 * evaluatedDatapoints lists the periods' timestamps alone.
 */
function reasonData(ctx: ReasonContext, points: readonly Datapoint[], noneReceived: boolean): string {
  const { alarm, now, periodMs, last, n } = ctx;
  const fields: string[] = ['"version":"1.0"', `"queryDate":${JSON.stringify(isoMillis(now))}`];
  if (points.length) fields.push(`"startDate":${JSON.stringify(isoMillis(points[points.length - 1].timestamp))}`);
  if (alarm.Unit) fields.push(`"unit":${JSON.stringify(alarm.Unit)}`);
  fields.push(`"statistic":${JSON.stringify(alarm.Statistic ?? alarm.ExtendedStatistic ?? '')}`, `"period":${alarm.Period}`);
  const chronological = [...points].reverse();
  fields.push(`"recentDatapoints":[${chronological.map((p) => javaDouble(p.value)).join(',')}]`, `"threshold":${javaDouble(alarm.Threshold)}`);
  const evaluated = noneReceived
    ? Array.from({ length: n }, (_, i) => `{"timestamp":${JSON.stringify(isoMillis(last - i * periodMs))}}`)
    : points.map((p) => `{"timestamp":${JSON.stringify(isoMillis(p.timestamp))},"sampleCount":${javaDouble(p.sampleCount)},"value":${javaDouble(p.value)}}`);
  fields.push(`"evaluatedDatapoints":[${evaluated.join(',')}]`);
  return `{${fields.join(',')}}`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** Java's Double.toString: `1.0`, `21.5`, `1.0E7`, `1.0E-4` (AWS's texts are written by Java) */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(value);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

/** `dd/MM/yy HH:mm:ss` in UTC, as in AWS's reason texts */
export function reasonTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2023-04-07T09:08:00.000+0000` */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

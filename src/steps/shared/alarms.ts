/** CloudWatch alarms as the steps read and force them. */
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, SetAlarmStateCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { LabContext } from '../../lab/context.js';
import { deployment } from './app.js';

export const ERRORS_ALARM = 'AliasErrorMetricGreaterThanZeroAlarm';

/** the physical name of the template's Errors alarm (CloudFormation's physical id of an alarm is its name) */
export function errorsAlarmName(ctx: LabContext): string | undefined {
  try {
    return deployment(ctx).physicalIds[ERRORS_ALARM];
  } catch {
    return undefined;
  }
}

export async function alarmsInAlarm(ctx: LabContext, signal?: AbortSignal): Promise<MetricAlarm[]> {
  const r = await ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }), { abortSignal: signal });
  return r.MetricAlarms ?? [];
}

export async function describeAlarm(ctx: LabContext, name: string, signal?: AbortSignal): Promise<MetricAlarm | undefined> {
  const r = await ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }), { abortSignal: signal });
  return r.MetricAlarms?.[0];
}

export function setAlarmCommand(ctx: LabContext, name = errorsAlarmName(ctx) ?? 'ALARM_NAME'): string {
  return ctx.aws(`cloudwatch set-alarm-state --alarm-name ${name} --state-value ALARM --state-reason "testing the rollback"`);
}

export async function forceAlarm(ctx: LabContext, name: string): Promise<void> {
  await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing the rollback' }), { abortSignal: ctx.signal });
}

/**
 * The alarm's changes to ALARM since `since` (cloud time), newest first, with their reasons: the
 * StateUpdate items of DescribeAlarmHistory, whose HistoryData holds the new state and its reason.
 */
export async function alarmTransitions(ctx: LabContext, name: string, since: Date, signal?: AbortSignal): Promise<{ at: Date; reason: string }[]> {
  const r = await ctx.clients.cloudWatch.send(
    new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', StartDate: new Date(since.getTime() - 1000), EndDate: new Date(Date.now() + 10 * 365 * 86_400_000), ScanBy: 'TimestampDescending' }),
    { abortSignal: signal },
  );
  const out: { at: Date; reason: string }[] = [];
  for (const item of r.AlarmHistoryItems ?? []) {
    let data: { newState?: { stateValue?: string; stateReason?: string } } = {};
    try {
      data = JSON.parse(item.HistoryData ?? '{}');
    } catch {
      continue;
    }
    if (data.newState?.stateValue === 'ALARM') out.push({ at: item.Timestamp ?? new Date(0), reason: data.newState.stateReason ?? '' });
  }
  return out;
}

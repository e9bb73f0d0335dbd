/** CloudWatch alarms as the steps read and force them. */
import { notYet, passed, type LiveCheck } from '../../lab/check.js';
import type { LabContext } from '../../lab/context.js';
import { deployment, NotDeployed } from './app.js';
import { cliTime, cloudSpan, cloudTimeNote } from './cloud-time.js';
import { deploymentGroup } from './codedeploy.js';
import { cloudWatchCommands, codeDeployCommands } from '../../targets/clients.js';

const { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, SetAlarmStateCommand } = cloudWatchCommands;
const { GetDeploymentGroupCommand } = codeDeployCommands;

export const ERRORS_ALARM = 'AliasErrorMetricGreaterThanZeroAlarm';

/** the physical name of the template's Errors alarm (CloudFormation's physical id of an alarm is its name) */
export function errorsAlarmName(ctx: LabContext): string | undefined {
  try {
    return deployment(ctx).physicalIds[ERRORS_ALARM];
  } catch {
    return undefined;
  }
}

/**
 * The alarms of the app's deployment group that are in ALARM now: CodeDeploy reads them before
 * the first shift too, so a deployment started now would stop at once with ALARM_ACTIVE. Only the
 * group's alarms: on AWS the account may hold others, which stop nothing. Empty when no group or
 * no alarm is deployed yet.
 */
export async function groupAlarmsInAlarm(ctx: LabContext, signal?: AbortSignal): Promise<string[]> {
  let ref;
  try {
    ref = deploymentGroup(ctx);
  } catch (err) {
    if (err instanceof NotDeployed) return [];
    throw err;
  }
  const g = await ctx.clients.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: ref.application, deploymentGroupName: ref.group }), { abortSignal: signal });
  const alarms = g.deploymentGroupInfo?.alarmConfiguration;
  const names = alarms?.enabled === false ? [] : (alarms?.alarms ?? []).map((a) => a.name).filter((n): n is string => !!n);
  if (!names.length) return [];
  const r = await ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names }), { abortSignal: signal });
  return (r.MetricAlarms ?? []).filter((a) => a.StateValue === 'ALARM').map((a) => a.AlarmName ?? '?');
}

export function alreadyInAlarmHint(names: readonly string[], ctx: Pick<LabContext, 'target' | 'speed'>): string {
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} already in ALARM: a new deployment would stop at once (CodeDeploy checks the alarms before it starts). An alarm forced with set-alarm-state returns to its computed state at its next evaluation, ${cloudSpan(ctx, 1)}; one raised by real errors, once the errors have left its evaluation period. Wait for it, then deploy.`;
}

/**
 * Before a deploy of a step that releases through CodeDeploy with alarms: none of the group's
 * alarms is in ALARM already (issue 9: an alarm left in ALARM blocks the next deployment).
 */
export const groupAlarmsClear: LiveCheck = {
  name: 'no alarm of the deployment group is already in ALARM',
  aws: (ctx) => ctx.aws('cloudwatch describe-alarms --state-value ALARM'),
  run: async (ctx, signal) => {
    const inAlarm = await groupAlarmsInAlarm(ctx, signal);
    if (!inAlarm.length) return passed('none in ALARM');
    return notYet('no alarm of the group in ALARM before you deploy', `${inAlarm.join(', ')} in ALARM`, alreadyInAlarmHint(inAlarm, ctx));
  },
};

export function setAlarmCommand(ctx: LabContext, name = errorsAlarmName(ctx) ?? 'ALARM_NAME'): string {
  return ctx.aws(`cloudwatch set-alarm-state --alarm-name ${name} --state-value ALARM --state-reason "testing the rollback"`);
}

export async function forceAlarm(ctx: LabContext, name: string): Promise<void> {
  await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing the rollback' }), { abortSignal: ctx.signal });
}

/**
 * What the lab does at each look at a shifting deployment when it forces the alarm itself (--ci,
 * "do it for me"): once traffic has started to move, it says so and forces the alarm, and forces it
 * again at each look while the shift goes on. A forced state holds only until the alarm's next
 * evaluation (each cloud minute), which can come before CodeDeploy's next look at the alarm, as it
 * can on AWS, where a learner then runs the command again; the lab must not depend on that race.
 */
export function alarmForcer(ctx: LabContext, name: string): (info: { status?: string }, weight: number) => Promise<void> {
  let said = false;
  return async (info, weight) => {
    if (weight <= 0 || weight >= 1 || info.status !== 'InProgress') return;
    if (!said) {
      said = true;
      ctx.io.say('traffic is moving: the lab forces the alarm');
      ctx.io.command(setAlarmCommand(ctx, name));
    }
    await forceAlarm(ctx, name);
  };
}

/** the metric an alarm watches, as DescribeAlarms gives it; undefined when the alarm is not found */
export async function alarmMetric(ctx: LabContext, name: string, signal?: AbortSignal): Promise<{ namespace?: string; metricName?: string; dimensions: Record<string, string>; math: boolean } | undefined> {
  const r = await ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }), { abortSignal: signal });
  const a = r.MetricAlarms?.[0];
  if (!a) return undefined;
  const dimensions: Record<string, string> = {};
  for (const d of a.Dimensions ?? []) if (d.Name) dimensions[d.Name] = d.Value ?? '';
  return { namespace: a.Namespace, metricName: a.MetricName, dimensions, math: !!a.Metrics?.length };
}

/** where a read of the history since `since` begins: a second before it, to the whole second */
const historyStart = (since: Date) => new Date(Math.floor((since.getTime() - 1000) / 1000) * 1000);

/**
 * `describe-alarm-history` of the alarm's state changes; with `since` (a cloud time the cloud
 * gave, such as a deployment's createTime) only those from then on, as alarmTransitions reads them.
 * No end date: the history has nothing after the cloud's present, whatever the learner's clock says.
 */
export function alarmHistoryCommand(ctx: LabContext, name: string, since?: Date): string {
  const from = since ? ` --start-date ${cliTime(historyStart(since))}` : '';
  return (since ? cloudTimeNote(ctx) : '') + ctx.aws(`cloudwatch describe-alarm-history --alarm-name ${name} --history-item-type StateUpdate${from}`);
}

/**
 * The alarm's changes to ALARM since `since` (cloud time), newest first, with their reasons: the
 * StateUpdate items of DescribeAlarmHistory, whose HistoryData holds the new state and its reason.
 */
export async function alarmTransitions(ctx: LabContext, name: string, since: Date, signal?: AbortSignal): Promise<{ at: Date; reason: string }[]> {
  const r = await ctx.clients.cloudWatch.send(
    // no EndDate: DescribeAlarmHistory's StartDate and EndDate are each optional
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html),
    // and an end read from the learner's clock would lie in the fast local cloud's past
    new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', StartDate: historyStart(since), ScanBy: 'TimestampDescending' }),
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

/**
 * AWS::CloudWatch::Alarm through PutMetricAlarm (which creates or replaces), called only when the
 * alarm is missing or differs, so a deploy does not reset an alarm's state for nothing.
 * Dimensions and every other property are resolved first (`!Ref Fn`, `!GetAtt Fn.Version.Version`).
 * Ref → the alarm name; GetAtt Arn.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html
 */
import type { MetricAlarm, PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { TemplateError } from '../../../../template/index.js';
import { cloudWatchCommands, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../../clients.js';
import { physicalName, randomSuffix } from '../names.js';
import type { Provisioner } from '../context.js';

const { DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand } = cloudWatchCommands;

type Props = Record<string, unknown>;

/** CloudFormation's property names are the API's; the numbers may come as strings from YAML. */
export function putMetricAlarmInput(name: string, p: Props): PutMetricAlarmCommandInput {
  const num = (k: string) => (p[k] === undefined ? undefined : Number(p[k]));
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as unknown[]).map(String) : undefined);
  const input: PutMetricAlarmCommandInput = {
    AlarmName: name,
    AlarmDescription: p.AlarmDescription as string | undefined,
    ActionsEnabled: p.ActionsEnabled === undefined ? undefined : p.ActionsEnabled === true || p.ActionsEnabled === 'true',
    AlarmActions: list('AlarmActions'),
    OKActions: list('OKActions'),
    InsufficientDataActions: list('InsufficientDataActions'),
    MetricName: p.MetricName as string | undefined,
    Namespace: p.Namespace as string | undefined,
    Statistic: p.Statistic as never,
    ExtendedStatistic: p.ExtendedStatistic as string | undefined,
    Dimensions: Array.isArray(p.Dimensions) ? (p.Dimensions as Props[]).map((d) => ({ Name: String(d.Name), Value: String(d.Value) })) : undefined,
    Period: num('Period'),
    Unit: p.Unit as never,
    EvaluationPeriods: num('EvaluationPeriods'),
    DatapointsToAlarm: num('DatapointsToAlarm'),
    Threshold: num('Threshold'),
    ComparisonOperator: p.ComparisonOperator as never,
    TreatMissingData: p.TreatMissingData as string | undefined,
    EvaluateLowSampleCountPercentile: p.EvaluateLowSampleCountPercentile as string | undefined,
    ThresholdMetricId: p.ThresholdMetricId as string | undefined,
    Metrics: p.Metrics as never,
  };
  for (const k of Object.keys(input) as (keyof PutMetricAlarmCommandInput)[]) if (input[k] === undefined) delete input[k];
  return input;
}

/** true when the alarm already says what the template says */
export function alarmMatches(current: MetricAlarm, want: PutMetricAlarmCommandInput): boolean {
  const dims = (d: { Name?: string; Value?: string }[] | undefined) => JSON.stringify([...(d ?? [])].map((x) => `${x.Name}=${x.Value}`).sort());
  return (
    current.MetricName === want.MetricName &&
    current.Namespace === want.Namespace &&
    current.Statistic === want.Statistic &&
    current.Period === want.Period &&
    current.EvaluationPeriods === want.EvaluationPeriods &&
    current.DatapointsToAlarm === want.DatapointsToAlarm &&
    current.Threshold === want.Threshold &&
    current.ComparisonOperator === want.ComparisonOperator &&
    (current.TreatMissingData ?? 'missing') === (want.TreatMissingData ?? 'missing') &&
    (current.AlarmDescription ?? '') === (want.AlarmDescription ?? '') &&
    dims(current.Dimensions) === dims(want.Dimensions)
  );
}

export const cloudWatchAlarm: Provisioner = {
  type: 'AWS::CloudWatch::Alarm',
  async apply(r, ctx) {
    const given = r.properties.AlarmName;
    const name = given !== undefined ? ctx.resolver.string(given, r.position) : ctx.names.allocate(ctx.stackName, r.logicalId, () => physicalName(ctx.stackName, r.logicalId, randomSuffix(), 255));
    await ctx.names.save();
    const props = ctx.resolver.evaluate(r.properties, r.position) as Props;
    if (props.Metrics !== undefined) throw new TemplateError(`${r.logicalId}: alarms on metric math (Metrics) are not emulated by the local cloud`, r.position, 'use MetricName, Namespace, Statistic and Dimensions');
    const want = putMetricAlarmInput(name, props);
    const found = await ctx.step(`reading alarm ${name}`, () => ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] })));
    const current = found.MetricAlarms?.[0];
    let change: 'created' | 'updated' | 'unchanged' = 'unchanged';
    if (!current || !alarmMatches(current, want)) {
      await ctx.step(`${current ? 'updating' : 'creating'} alarm ${name}`, () => ctx.clients.cloudWatch.send(new PutMetricAlarmCommand(want)));
      change = current ? 'updated' : 'created';
    }
    const dims = (want.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(', ');
    ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: name, change, detail: `${want.MetricName ?? ''}${dims ? ` (${dims})` : ''}` });
    ctx.record.alarms.push(name);
    return { type: r.type, physicalId: name, attributes: { Arn: `arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:alarm:${name}` } };
  },
  // DeleteAlarms answers success for a name that does not exist
  async remove(r, ctx) {
    await ctx.step(`deleting alarm ${r.physicalId}`, () => ctx.clients.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [r.physicalId] })));
  },
};

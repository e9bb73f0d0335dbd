/**
 * CodeDeploy reading the local CloudWatch's alarms, through the real clients, on a ManualClock
 * moved a second at a time: SetAlarmState mid-shift, and SAM's documented Errors alarm raised by
 * a version that throws under steady traffic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, GetAliasCommand, InvokeCommand, LambdaClient, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { clientConfig, startTestEmulator } from '../../helpers/emulator.js';
import { createFn, zip } from '../lambda/harness.js';

const ALARM_TEXT = 'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: ';

async function lab(v2Source: string) {
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0, 0));
  const emu = await startTestEmulator({ clock });
  const lambda = new LambdaClient(clientConfig(emu.endpoint));
  const cd = new CodeDeployClient(clientConfig(emu.endpoint));
  const cw = new CloudWatchClient(clientConfig(emu.endpoint));
  await createFn(lambda, 'fn', 'exports.handler = async () => ({ version: 1 });');
  await lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: zip({ 'index.js': v2Source }) }));
  await lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
  await lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  const deploy = async (alarms: string[]) => {
    await cd.send(new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }));
    // what SAM generates for a DeploymentPreference with Alarms (shared/aws §A.1)
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'dg',
        serviceRoleArn: 'arn:aws:iam::000000000000:role/stack-CodeDeployServiceRole-X',
        deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
        alarmConfiguration: { enabled: true, alarms: alarms.map((name) => ({ name })) },
      }),
    );
    const content = JSON.stringify({
      version: 0.0,
      Resources: [{ fn: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' } } }],
    });
    return (await cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'dg', revision: { revisionType: 'AppSpecContent', appSpecContent: { content } } })))
      .deploymentId!;
  };
  const info = async (id: string): Promise<DeploymentInfo> => (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
  const alias = async () => {
    const a = await lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    return `${a.FunctionVersion} ${JSON.stringify(a.RoutingConfig?.AdditionalVersionWeights ?? null)}`;
  };
  /** one second of cloud time, then let the engine's loops run */
  const tick = async () => {
    clock.advance(1000);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    clock,
    lambda,
    cd,
    cw,
    deploy,
    info,
    alias,
    tick,
    async close() {
      lambda.destroy();
      cd.destroy();
      cw.destroy();
      await emu.close();
    },
  };
}

test('SetAlarmState ALARM mid-shift: Stopped with ALARM_ACTIVE within one tick, rolled back, the alias wholly on version 1', async () => {
  const l = await lab('exports.handler = async () => ({ version: 2 });');
  try {
    await l.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'fn-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'fn' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    const id = await l.deploy(['fn-errors']);
    for (let i = 0; i < 200 && (await l.alias()) !== '1 {"2":0.3}'; i++) await l.tick();
    assert.equal(await l.alias(), '1 {"2":0.3}');
    await l.cw.send(new SetAlarmStateCommand({ AlarmName: 'fn-errors', StateValue: 'ALARM', StateReason: 'testing the rollback' }));
    await l.tick();
    const d = await l.info(id);
    assert.equal(d.status, 'Stopped');
    assert.deepEqual(d.errorInformation, { code: 'ALARM_ACTIVE', message: `${ALARM_TEXT}<fn-errors>` });
    const rollback = await l.info(d.rollbackInfo!.rollbackDeploymentId!);
    assert.equal(rollback.status, 'Succeeded');
    assert.equal(rollback.creator, 'codeDeployRollback');
    assert.equal(await l.alias(), '1 null');
  } finally {
    await l.close();
  }
});

test("a version that throws, under steady traffic, with SAM's documented Errors alarm: ALARM from Lambda's metrics, rolled back with no manual call", async () => {
  const l = await lab('exports.handler = async () => { throw new Error("version 2 is broken"); };');
  try {
    // SAM docs/safe_lambda_deployments.rst: LatestVersionErrorMetricGreaterThanZeroAlarm
    await l.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'LatestVersionErrorMetricGreaterThanZeroAlarm',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [
          { Name: 'Resource', Value: 'fn:live' },
          { Name: 'FunctionName', Value: 'fn' },
          { Name: 'ExecutedVersion', Value: '2' },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const id = await l.deploy(['LatestVersionErrorMetricGreaterThanZeroAlarm']);
    let status = 'InProgress';
    let errors = 0;
    // steady traffic: three invocations of the alias per second of cloud time, for at most 10 minutes
    for (let i = 0; i < 600 && status === 'InProgress'; i++) {
      for (let k = 0; k < 3; k++) {
        const out = await l.lambda.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: 'live' }));
        if (out.FunctionError) errors++;
      }
      await l.tick();
      status = (await l.info(id)).status!;
    }
    assert.ok(errors > 0, 'version 2 got traffic and failed');
    const d = await l.info(id);
    assert.equal(d.status, 'Stopped');
    assert.deepEqual(d.errorInformation, { code: 'ALARM_ACTIVE', message: `${ALARM_TEXT}<LatestVersionErrorMetricGreaterThanZeroAlarm>` });
    const alarm = (await l.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['LatestVersionErrorMetricGreaterThanZeroAlarm'] }))).MetricAlarms![0]!;
    assert.equal(alarm.StateValue, 'ALARM');
    assert.match(alarm.StateReason!, /^Threshold Crossed: /);
    for (let i = 0; i < 10 && (await l.info(d.rollbackInfo!.rollbackDeploymentId!)).status !== 'Succeeded'; i++) await l.tick();
    assert.equal((await l.info(d.rollbackInfo!.rollbackDeploymentId!)).status, 'Succeeded');
    assert.equal(await l.alias(), '1 null');
  } finally {
    await l.close();
  }
});

/**
 * Printed commands with absolute times, against a local cloud whose clock runs 10x faster than the
 * wall clock and is two hours ahead of it (as after a long lab at --speed 10): the throttled step's
 * CloudWatch query names the load test's window in cloud time, says so in one comment line, and,
 * run as printed by the aws CLI, returns the datapoints the lesson reads. A window in the learner's
 * time would lie in the cloud's past and hold none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ScaledClock } from '../../src/emulator/core/clock.js';
import { TargetClients } from '../../src/targets/clients.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { throttledStep } from '../../src/steps/concurrency.js';
import { alarmHistoryCommand } from '../../src/steps/shared/alarms.js';
import { cloudNow } from '../../src/steps/shared/cloud-time.js';
import { peakSpan } from '../../src/steps/shared/concurrency.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { fakeContext } from '../helpers/lab-context.js';
import { runWithAwsEnv, skipWithoutAws } from '../helpers/aws-cli.js';
import { createFn, handlers } from '../emulator/lambda/harness.js';

const FN = 'ServerlessOps-GetInfoFunction-1A2B3C';
const AHEAD_MS = 2 * 3_600_000;

function record(): DeployRecord {
  return { functions: [{ logicalId: 'GetInfoFunction', name: FN, arn: `arn:aws:lambda:us-east-1:000000000000:function:${FN}`, codeSha256: 'x' }] } as unknown as DeployRecord;
}

const peakCheck = () => {
  const check = throttledStep.liveChecks.find((c) => /ConcurrentExecutions/.test(c.name));
  assert.ok(check, 'the throttled step reads the peak from CloudWatch');
  return check;
};

/** the printed text run by bash as the learner would paste it */
const runPrinted = (text: string) => runWithAwsEnv('bash', ['-c', text], { env: { AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' } });

test('at --speed 10 the peak query is printed in cloud time, says so, and returns the datapoints when run as printed', { skip: skipWithoutAws }, async () => {
  const emu = await startTestEmulator({ clock: new ScaledClock(10, Date.now() + AHEAD_MS), speed: 10 });
  const clients = new TargetClients({ kind: 'local', endpoint: emu.endpoint }, { maxAttempts: 1 });
  try {
    const ctx = fakeContext({
      clients,
      speed: 10,
      endpoint: emu.endpoint,
      aws: (args) => `aws ${args} --endpoint-url ${emu.endpoint}`,
      deployment: record,
    });
    await createFn(clients.lambda, FN, handlers.echo);
    const wallStart = new Date();
    const started = await cloudNow(ctx);
    assert.ok(started.getTime() - Date.now() > AHEAD_MS / 2, 'the lab reads the cloud\'s clock, not the wall clock');
    for (let i = 0; i < 3; i++) await clients.lambda.send(new InvokeCommand({ FunctionName: FN, Payload: Buffer.from('{}') }));
    const ended = await cloudNow(ctx);
    ctx.figuresOf['concurrency-throttled'] = { window: [started.toISOString(), ended.toISOString()] };

    const printed = peakCheck().aws(ctx);
    const [note, command, ...more] = printed.split('\n');
    assert.equal(more.length, 0, printed);
    assert.match(note!, /^# .*10x faster/, 'one short comment line says the times are cloud times');
    assert.ok(note!.length <= 72, note);
    const span = peakSpan(started, ended);
    assert.ok(command!.includes(`--start-time ${span.start.toISOString().replace('.000Z', 'Z')}`), command);
    assert.ok(command!.includes(`--end-time ${span.end.toISOString().replace('.000Z', 'Z')}`), command);

    const out = await runPrinted(printed);
    assert.equal(out.code, 0, out.stderr);
    const points = (JSON.parse(out.stdout) as { Datapoints: { Maximum: number }[] }).Datapoints;
    assert.ok(points.length >= 1 && points.every((p) => p.Maximum >= 1), out.stdout);

    // the same query over the learner's own minutes finds nothing: the cloud filed the points 2 h later
    const wall = peakSpan(wallStart, new Date());
    const byWall = command!.replace(/--start-time \S+ --end-time \S+/, `--start-time ${wall.start.toISOString()} --end-time ${wall.end.toISOString()}`);
    const missed = await runPrinted(byWall);
    assert.equal(missed.code, 0, missed.stderr);
    assert.deepEqual((JSON.parse(missed.stdout) as { Datapoints: unknown[] }).Datapoints, []);

    // and the check reads the same minutes
    const outcome = await peakCheck().run(ctx, new AbortController().signal);
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome));
    assert.match(outcome.status === 'passed' ? (outcome.found ?? '') : '', /from CloudWatch/);
  } finally {
    clients.destroy();
    await emu.close();
  }
});

test('on AWS (and at speed 1) the same commands carry the times with no note; before a run, placeholders', () => {
  const window = { window: ['2026-12-02T12:05:42.123Z', '2026-12-02T12:06:59.999Z'] };
  const aws = fakeContext({ target: 'aws', speed: 1, endpoint: undefined, aws: (args) => `aws ${args} --region eu-west-1`, deployment: record });
  aws.figuresOf['concurrency-throttled'] = window;
  assert.equal(
    peakCheck().aws(aws),
    `aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name ConcurrentExecutions --dimensions Name=FunctionName,Value=${FN} --statistics Maximum --period 60 --start-time 2026-12-02T12:05:00Z --end-time 2026-12-02T12:07:00Z --region eu-west-1`,
  );
  const local1 = fakeContext({ speed: 1, deployment: record });
  assert.ok(!peakCheck().aws(local1).includes('#'), 'no note at speed 1');
  assert.match(peakCheck().aws(local1), /--start-time <start> --end-time <end>/);
  assert.equal(alarmHistoryCommand(aws, 'errors', new Date('2026-12-02T12:05:42.500Z')), 'aws cloudwatch describe-alarm-history --alarm-name errors --history-item-type StateUpdate --start-date 2026-12-02T12:05:41Z --region eu-west-1');
  const local10 = fakeContext({ speed: 10 });
  assert.match(alarmHistoryCommand(local10, 'errors', new Date('2026-12-02T12:05:42.500Z')), /^# .*10x faster.*\naws cloudwatch describe-alarm-history .*--start-date 2026-12-02T12:05:41Z/);
  assert.ok(!alarmHistoryCommand(local10, 'errors').includes('#'), 'without a date, no note');
});

test('an alarm already in ALARM: its next evaluation is said in cloud time, about 6 s at --speed 10 (it said "(a minute)"), a minute on AWS', async () => {
  const { groupAlarmsClear } = await import('../../src/steps/shared/alarms.js');
  const { deploymentGroup } = await import('../../src/steps/shared/codedeploy.js');
  const rec = { functions: [{ logicalId: 'GetInfoFunction', name: FN, alias: 'live', deploymentGroupName: 'app-group' }], physicalIds: { ServerlessDeploymentApplication: 'app' }, outputs: {}, apis: [] } as unknown as DeployRecord;
  const clients = {
    codeDeploy: { send: async () => ({ deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [{ name: 'app-Errors' }] } } }) },
    cloudWatch: { send: async () => ({ MetricAlarms: [{ AlarmName: 'app-Errors', StateValue: 'ALARM' }] }) },
  } as unknown as TargetClients;
  const hint = async (over: Parameters<typeof fakeContext>[0]) => {
    const ctx = fakeContext({ clients, deployment: () => rec, ...over });
    assert.deepEqual(deploymentGroup(ctx), { application: 'app', group: 'app-group' });
    const o = await groupAlarmsClear.run(ctx, new AbortController().signal);
    assert.equal(o.status, 'not-yet');
    return o.status === 'not-yet' ? o.hint ?? '' : '';
  };
  const local = await hint({ target: 'local', speed: 10 });
  assert.match(local, /returns to its computed state at its next evaluation, about 6 s here \(a minute of cloud time at 10x\); one raised by real errors/);
  assert.doesNotMatch(local, /\(a minute\)/);
  assert.match(await hint({ target: 'aws', speed: 1 }), /at its next evaluation, about a minute; one raised/);
});

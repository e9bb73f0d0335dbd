import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, targetWeightAt, alarmActiveMessage } from '../../../src/emulator/services/codedeploy/schedule.js';
import { predefinedConfigs } from '../../../src/emulator/services/codedeploy/configs.js';
import type { DeploymentRecord, TrafficRoutingConfig } from '../../../src/emulator/services/codedeploy/model.js';
import { newLifecycleEvents } from '../../../src/emulator/services/codedeploy/engine.js';

const MIN = 60_000;
const routing = (name: string): TrafficRoutingConfig =>
  predefinedConfigs().find((c) => c.deploymentConfigName === `CodeDeployDefault.Lambda${name}`)!.trafficRoutingConfig;

test('the nine predefined Lambda configs, with their routing', () => {
  const names = predefinedConfigs().map((c) => c.deploymentConfigName);
  assert.equal(names.length, 9);
  assert.deepEqual(routing('Linear10PercentEvery1Minute'), { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } });
  assert.deepEqual(routing('Canary10Percent30Minutes'), { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 30 } });
  assert.deepEqual(routing('AllAtOnce'), { type: 'AllAtOnce' });
});

test('Linear10PercentEvery1Minute: 0.1 … 0.9 a minute apart, then the flip at minute 9; exact decimals', () => {
  const r = routing('Linear10PercentEvery1Minute');
  const start = 1_000_000;
  const seen: number[] = [];
  for (let t = start; t <= start + 10 * MIN; t += 1000) {
    const { weight } = targetWeightAt(r, start, t);
    if (seen[seen.length - 1] !== weight) seen.push(weight);
  }
  assert.deepEqual(seen, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  assert.deepEqual(targetWeightAt(r, start, start + 3 * MIN - 1), { weight: 0.3, nextChangeAt: start + 3 * MIN });
  assert.deepEqual(targetWeightAt(r, start, start + 3 * MIN), { weight: 0.4, nextChangeAt: start + 4 * MIN });
  assert.deepEqual(targetWeightAt(r, start, start + 9 * MIN), { weight: 1 });
});

test('canary: the percentage at once, everything after the interval; a custom linear of 30 % ends at 100 %', () => {
  const c = routing('Canary10Percent5Minutes');
  assert.deepEqual(targetWeightAt(c, 0, 0), { weight: 0.1, nextChangeAt: 5 * MIN });
  assert.deepEqual(targetWeightAt(c, 0, 5 * MIN - 1), { weight: 0.1, nextChangeAt: 5 * MIN });
  assert.deepEqual(targetWeightAt(c, 0, 5 * MIN), { weight: 1 });
  assert.deepEqual(targetWeightAt({ type: 'AllAtOnce' }, 0, 0), { weight: 1 });
  const l30: TrafficRoutingConfig = { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 30, linearInterval: 2 } };
  assert.deepEqual([0, 2, 4, 6].map((m) => targetWeightAt(l30, 0, m * MIN).weight), [0.3, 0.6, 0.9, 1]);
});

function deployment(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    deploymentId: 'd-TEST00001',
    applicationName: 'app',
    deploymentGroupName: 'dg',
    deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    trafficRouting: routing('Linear10PercentEvery1Minute'),
    status: 'InProgress',
    creator: 'user',
    revision: {},
    target: { functionName: 'fn', alias: 'live', currentVersion: '1', targetVersion: '2', hooks: { BeforeAllowTraffic: 'CodeDeployHook_pre' } },
    targetVersionWeight: 0,
    lifecycleEvents: newLifecycleEvents({ BeforeAllowTraffic: 'CodeDeployHook_pre' }),
    createTime: 0,
    lastUpdatedAt: 0,
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'a' }] },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ...over,
  };
}

test('decide: start, hook, traffic, shifts, flip, succeed; alarms stop it; a failed or silent hook fails it', () => {
  assert.deepEqual(decide(deployment({ status: 'Created' }), 0), { kind: 'start' });
  const d = deployment();
  assert.deepEqual(decide(d, 0), { kind: 'begin-hook', event: 'BeforeAllowTraffic' });
  d.lifecycleEvents[0]!.status = 'InProgress';
  d.lifecycleEvents[0]!.hookDeadline = 3600_000;
  assert.deepEqual(decide(d, 10), { kind: 'wait', until: 3600_000 });
  assert.equal(decide(d, 3600_000).kind, 'fail');
  d.lifecycleEvents[0]!.hookStatus = 'Failed';
  assert.deepEqual(decide(d, 10), {
    kind: 'fail',
    code: 'HOOK_EXECUTION_FAILURE',
    message: 'The deployment failed because one or more of the lifecycle event validation functions failed.',
    event: 'BeforeAllowTraffic',
  });
  d.lifecycleEvents[0]!.hookStatus = 'Succeeded';
  assert.deepEqual(decide(d, 10), { kind: 'complete-event', event: 'BeforeAllowTraffic' });
  d.lifecycleEvents[0]!.status = 'Succeeded';
  assert.deepEqual(decide(d, 10), { kind: 'begin-traffic' });
  d.lifecycleEvents[1]!.status = 'InProgress';
  d.trafficShiftStart = 100;
  assert.deepEqual(decide(d, 100), { kind: 'shift', weight: 0.1 });
  d.targetVersionWeight = 0.1;
  assert.deepEqual(decide(d, 200), { kind: 'wait', until: 100 + MIN });
  assert.deepEqual(decide(d, 100 + 2 * MIN), { kind: 'shift', weight: 0.3 });
  assert.deepEqual(decide(d, 100 + 9 * MIN), { kind: 'flip' });
  assert.deepEqual(decide(d, 200, ['a', 'b']), { kind: 'stop', code: 'ALARM_ACTIVE', message: alarmActiveMessage(['a', 'b']) });
  assert.match(alarmActiveMessage(['a', 'b']), /Activated alarms: <a> <b>$/);
  d.lifecycleEvents[1]!.status = 'Succeeded';
  assert.deepEqual(decide(d, 100 + 9 * MIN), { kind: 'begin-hook', event: 'AfterAllowTraffic' });
  d.lifecycleEvents[2]!.status = 'Succeeded';
  assert.deepEqual(decide(d, 100 + 9 * MIN), { kind: 'succeed' });
  d.status = 'Succeeded';
  assert.deepEqual(decide(d, 0, ['a']), { kind: 'done' });
});

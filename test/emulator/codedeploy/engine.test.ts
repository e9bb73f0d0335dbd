import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appSpec, deploy, harness, setUp } from './fakes.js';

const MIN = 60_000;
const ROLLBACK_ALL = { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] };

test('Linear10PercentEvery1Minute: the alias keeps version 1 and gives 2 weights 0.1 … 0.9 a minute apart, then flips', async () => {
  const h = harness();
  try {
    setUp(h, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    const id = deploy(h);
    const t0 = h.clock.now();
    const times: number[] = [];
    let last = h.lambda.history.length;
    for (let i = 0; i < 11 * 60; i++) {
      await h.advance(1000);
      if (h.lambda.history.length !== last) {
        last = h.lambda.history.length;
        times.push(h.clock.now() - t0);
      }
    }
    assert.deepEqual(h.lambda.history, [
      ...[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((w) => ({ functionVersion: '1', additionalVersionWeights: { '2': w } })),
      { functionVersion: '2', additionalVersionWeights: {} },
    ]);
    // each shift within one tick of its minute
    times.forEach((t, i) => assert.ok(Math.abs(t - i * MIN) <= 1000, `shift ${i} at ${t}`));
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Succeeded');
    assert.equal(d.creator, 'user');
    const target = h.call.BatchGetDeploymentTargets({ deploymentId: id, targetIds: ['fn:live'] }).deploymentTargets[0]!.lambdaTarget;
    assert.deepEqual(target.lifecycleEvents.map((e) => e.status), ['Succeeded', 'Succeeded', 'Succeeded']);
    assert.equal(target.lambdaFunctionInfo.targetVersionWeight, 1);
  } finally {
    h.close();
  }
});

test('a BeforeAllowTraffic hook reporting Failed: Failed with HOOK_EXECUTION_FAILURE, no weight ever given, rollback deployment by codeDeployRollback', async () => {
  const h = harness();
  try {
    setUp(h, 'CodeDeployDefault.LambdaCanary10Percent5Minutes', { autoRollbackConfiguration: ROLLBACK_ALL });
    const id = deploy(h, appSpec('1', '2', { pre: 'CodeDeployHook_pre', post: 'CodeDeployHook_post' }));
    await h.advance(2000);
    assert.equal(h.lambda.invocations.length, 1);
    const { fn, payload } = h.lambda.invocations[0]!;
    assert.equal(fn, 'CodeDeployHook_pre');
    assert.deepEqual(Object.keys(payload).sort(), ['DeploymentId', 'LifecycleEventHookExecutionId']);
    assert.equal(payload.DeploymentId, id);
    // the deployment waits for the report
    await h.advance(10 * MIN);
    assert.equal(h.call.GetDeployment({ deploymentId: id }).deploymentInfo.status, 'InProgress');
    assert.throws(() => h.call.PutLifecycleEventHookExecutionStatus({ deploymentId: id, lifecycleEventHookExecutionId: payload.LifecycleEventHookExecutionId, status: 'Pending' }), { code: 'InvalidLifecycleEventHookExecutionStatusException' });
    assert.throws(() => h.call.PutLifecycleEventHookExecutionStatus({ deploymentId: id, lifecycleEventHookExecutionId: 'nope', status: 'Failed' }), { code: 'InvalidLifecycleEventHookExecutionIdException' });
    h.call.PutLifecycleEventHookExecutionStatus({ deploymentId: id, lifecycleEventHookExecutionId: payload.LifecycleEventHookExecutionId, status: 'Failed' });
    await h.advance(2000);
    assert.throws(() => h.call.PutLifecycleEventHookExecutionStatus({ deploymentId: id, lifecycleEventHookExecutionId: payload.LifecycleEventHookExecutionId, status: 'Succeeded' }), { code: 'LifecycleEventAlreadyCompletedException' });
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Failed');
    assert.deepEqual(d.errorInformation, { code: 'HOOK_EXECUTION_FAILURE', message: 'The deployment failed because one or more of the lifecycle event validation functions failed.' });
    assert.ok(h.lambda.history.every((r) => r.functionVersion === '1' && Object.keys(r.additionalVersionWeights).length === 0), 'version 2 never got traffic');
    const rollbackId = d.rollbackInfo!.rollbackDeploymentId!;
    assert.equal(d.rollbackInfo!.rollbackMessage, `Deployment ${id} terminated. Automatic rollback is triggered with a DeploymentId ${rollbackId}.`);
    const rb = h.call.GetDeployment({ deploymentId: rollbackId }).deploymentInfo;
    assert.equal(rb.status, 'Succeeded');
    assert.equal(rb.creator, 'codeDeployRollback');
    assert.equal(rb.deploymentConfigName, 'CodeDeployDefault.LambdaAllAtOnce');
    assert.deepEqual(rb.rollbackInfo, { rollbackTriggeringDeploymentId: id, rollbackMessage: `Deployment ${rollbackId} is triggered to roll back deployment ${id}.` });
    assert.equal(h.lambda.invocations.length, 1, 'the rollback invokes no hook');
    const events = h.call.BatchGetDeploymentTargets({ deploymentId: id, targetIds: ['fn:live'] }).deploymentTargets[0]!.lambdaTarget.lifecycleEvents;
    assert.deepEqual(events.map((e) => e.status), ['Failed', 'Skipped', 'Skipped']);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: {} });
  } finally {
    h.close();
  }
});

test('an alarm in ALARM mid-shift: Stopped with ALARM_ACTIVE within one tick, rollback puts the alias wholly on version 1', async () => {
  const h = harness();
  try {
    h.alarms.set('errors', 'OK');
    setUp(h, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute', {
      autoRollbackConfiguration: ROLLBACK_ALL,
      alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }, { name: 'latency' }] },
    });
    const id = deploy(h);
    await h.advance(2 * MIN + 1000);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: { '2': 0.3 } });
    h.alarms.set('errors', 'ALARM');
    await h.advance(1000);
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Stopped');
    assert.deepEqual(d.errorInformation, {
      code: 'ALARM_ACTIVE',
      message: 'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <errors>',
    });
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: {} });
    const events = h.call.BatchGetDeploymentTargets({ deploymentId: id, targetIds: ['fn:live'] }).deploymentTargets[0]!.lambdaTarget.lifecycleEvents;
    assert.deepEqual(events.map((e) => e.status), ['Succeeded', 'Failed', 'Skipped']);
    assert.equal(h.call.GetDeployment({ deploymentId: d.rollbackInfo!.rollbackDeploymentId }).deploymentInfo.status, 'Succeeded');
  } finally {
    h.close();
  }
});

test('an alarm forced into ALARM and back to OK between two looks still stops the deployment: CodeDeploy reads its history since the last look', async () => {
  const h = harness();
  try {
    h.alarms.set('errors', 'OK');
    setUp(h, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute', {
      autoRollbackConfiguration: ROLLBACK_ALL,
      alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] },
    });
    const id = deploy(h);
    await h.advance(2 * MIN + 300);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: { '2': 0.3 } });
    // set-alarm-state ALARM, then the alarm's next evaluation put it back to OK, both within one tick:
    // the state CodeDeploy reads at its next look is OK again
    h.wentToAlarm.push({ name: 'errors', at: h.clock.now() });
    await h.advance(1000);
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Stopped');
    assert.equal(d.errorInformation?.code, 'ALARM_ACTIVE');
    assert.match(d.errorInformation?.message ?? '', /Activated alarms: <errors>/);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: {} });
  } finally {
    h.close();
  }
});

test('an alarm that went into ALARM and back to OK before the deployment began does not stop it', async () => {
  const h = harness();
  try {
    h.alarms.set('errors', 'OK');
    setUp(h, 'CodeDeployDefault.LambdaAllAtOnce', {
      autoRollbackConfiguration: ROLLBACK_ALL,
      alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] },
    });
    h.wentToAlarm.push({ name: 'errors', at: h.clock.now() - 1 });
    const id = deploy(h);
    await h.advance(5000);
    assert.equal(h.call.GetDeployment({ deploymentId: id }).deploymentInfo.status, 'Succeeded');
  } finally {
    h.close();
  }
});

test('an alarm already in ALARM stops a new deployment before any shift', async () => {
  const h = harness();
  try {
    h.alarms.set('errors', 'ALARM');
    setUp(h, 'CodeDeployDefault.LambdaAllAtOnce', { autoRollbackConfiguration: ROLLBACK_ALL, alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] } });
    const id = deploy(h);
    await h.advance(1000);
    assert.equal(h.call.GetDeployment({ deploymentId: id }).deploymentInfo.errorInformation?.code, 'ALARM_ACTIVE');
    assert.ok(h.lambda.history.every((r) => r.functionVersion === '1' && Object.keys(r.additionalVersionWeights).length === 0));
  } finally {
    h.close();
  }
});

test('StopDeployment without rollback leaves the alias split; the next deployment fails on it; one deployment at a time', async () => {
  const h = harness();
  try {
    setUp(h, 'CodeDeployDefault.LambdaCanary10Percent5Minutes', { autoRollbackConfiguration: ROLLBACK_ALL });
    const id = deploy(h);
    await h.advance(2000);
    assert.throws(() => deploy(h), { code: 'DeploymentLimitExceededException', message: `The Deployment Group 'dg' already has an active Deployment '${id}'` });
    assert.deepEqual(h.call.StopDeployment({ deploymentId: id, autoRollbackEnabled: false }).status, 'Succeeded');
    await h.advance(2000);
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Stopped');
    assert.equal(d.errorInformation?.code, 'MANUAL_STOP');
    assert.equal(d.rollbackInfo, undefined);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: { '2': 0.1 } });
    assert.throws(() => h.call.StopDeployment({ deploymentId: id }), { code: 'DeploymentAlreadyCompletedException' });

    const next = deploy(h);
    await h.advance(2000);
    const n = h.call.GetDeployment({ deploymentId: next }).deploymentInfo;
    assert.equal(n.status, 'Failed');
    assert.equal(n.errorInformation?.code, 'INVALID_LAMBDA_CONFIGURATION');

    // set the weighted alias to none, as the troubleshooting guide says, and it deploys
    h.lambda.alias = { functionVersion: '1', additionalVersionWeights: {} };
    const third = deploy(h);
    await h.advance(6 * MIN);
    assert.equal(h.call.GetDeployment({ deploymentId: third }).deploymentInfo.status, 'Succeeded');
    // with rollback: back on the old version
    const fourth = deploy(h, appSpec('2', '3'));
    await h.advance(2000);
    h.call.StopDeployment({ deploymentId: fourth, autoRollbackEnabled: true });
    await h.advance(2000);
    assert.deepEqual(h.lambda.alias, { functionVersion: '2', additionalVersionWeights: {} });
    const listed = h.call.ListDeployments({ applicationName: 'app', deploymentGroupName: 'dg' }).deployments;
    assert.equal(listed.length, 5);
    assert.deepEqual(h.call.ListDeployments({ applicationName: 'app', deploymentGroupName: 'dg', includeOnlyStatuses: ['Failed'] }).deployments, [next]);
    assert.equal(h.call.ListDeployments({}).deployments.length, 5);
    assert.throws(() => h.call.ListDeployments({ applicationName: 'app' }), { code: 'DeploymentGroupNameRequiredException' });
    assert.throws(() => h.call.ListDeployments({ deploymentGroupName: 'dg' }), { code: 'ApplicationNameRequiredException' });
  } finally {
    h.close();
  }
});

test('a restart fails a deployment that was in flight and rolls it back; the record and the alias agree', async () => {
  let h = harness();
  try {
    setUp(h, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    const id = deploy(h);
    await h.advance(MIN + 1000);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: { '2': 0.2 } });
    h = h.restart();
    await h.settle();
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Failed');
    assert.equal(d.errorInformation?.code, 'INTERNAL_ERROR');
    const rb = h.call.GetDeployment({ deploymentId: d.rollbackInfo!.rollbackDeploymentId }).deploymentInfo;
    assert.equal(rb.status, 'Succeeded');
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: {} });
  } finally {
    h.close();
  }
});

test('a hook that never reports fails the deployment after one hour of cloud time', async () => {
  const h = harness();
  try {
    setUp(h, 'CodeDeployDefault.LambdaAllAtOnce');
    const id = deploy(h, appSpec('1', '2', { pre: 'CodeDeployHook_pre' }));
    await h.advance(59 * MIN);
    assert.equal(h.call.GetDeployment({ deploymentId: id }).deploymentInfo.status, 'InProgress');
    await h.advance(MIN + 1000);
    assert.equal(h.call.GetDeployment({ deploymentId: id }).deploymentInfo.errorInformation?.code, 'HOOK_EXECUTION_FAILURE');
  } finally {
    h.close();
  }
});

test("SAM's CodeDeployServiceRole invokes only CodeDeployHook_* hooks: another name fails with IAM_ROLE_PERMISSIONS, nothing invoked", async () => {
  const h = harness();
  try {
    const role = 'arn:aws:iam::000000000000:role/sam-app-CodeDeployServiceRole-1ODWSWYEHLZ4O';
    setUp(h, 'CodeDeployDefault.LambdaAllAtOnce', { serviceRoleArn: role, autoRollbackConfiguration: ROLLBACK_ALL });
    const id = deploy(h, appSpec('1', '2', { pre: 'preTrafficHook' }));
    await h.advance(2000);
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Failed');
    assert.deepEqual(d.errorInformation, {
      code: 'IAM_ROLE_PERMISSIONS',
      message: `The IAM role ${role} does not give you permission to perform operations in the following AWS service: AWSLambda. Contact your AWS administrator if you need help. If you are an AWS administrator, you can grant permissions to your users or groups by creating IAM policies.`,
    });
    assert.equal(h.lambda.invocations.length, 0);
    assert.deepEqual(h.lambda.alias, { functionVersion: '1', additionalVersionWeights: {} });
    // with the prefix it is invoked
    const ok = deploy(h, appSpec('1', '2', { pre: 'CodeDeployHook_preTrafficHook' }));
    await h.advance(2000);
    assert.equal(h.lambda.invocations.length, 1);
    assert.equal(h.lambda.invocations[0]!.payload.DeploymentId, ok);
  } finally {
    h.close();
  }
});

test('an AppSpec naming a function that does not exist fails saying so, not that a version of it is missing', async () => {
  const h = harness();
  try {
    setUp(h, 'CodeDeployDefault.LambdaAllAtOnce');
    const spec = JSON.parse(appSpec('1', '5'));
    spec.Resources[0].fn.Properties.Name = 'nofn';
    const id = deploy(h, JSON.stringify(spec));
    await h.advance(2000);
    const d = h.call.GetDeployment({ deploymentId: id }).deploymentInfo;
    assert.equal(d.status, 'Failed');
    assert.deepEqual(d.errorInformation, {
      code: 'INVALID_LAMBDA_FUNCTION',
      message: 'The deployment failed because either the target Lambda function nofn does not exist or the specified function version or alias cannot be found',
    });
    // the function and alias exist, the version does not: that is what it says
    const missingVersion = deploy(h, appSpec('1', '5'));
    await h.advance(2000);
    assert.deepEqual(h.call.GetDeployment({ deploymentId: missingVersion }).deploymentInfo.errorInformation, {
      code: 'INVALID_LAMBDA_FUNCTION',
      message: 'The deployment failed because version 5 of the Lambda function fn does not exist.',
    });
    assert.deepEqual(h.lambda.history, []);
  } finally {
    h.close();
  }
});

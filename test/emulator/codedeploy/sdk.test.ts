/**
 * The real clients against an emulator on port 0 whose cloud clock is a ManualClock: the test moves
 * time in one-second ticks and reads what the clients read (GetAlias, BatchGetDeploymentTargets).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeleteDeploymentConfigCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentConfigsCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import {
  CreateAliasCommand,
  GetAliasCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { awsCli, skipWithoutAws, stopAwsCli } from '../../helpers/aws-cli.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { eventually } from '../../helpers/eventually.js';
import { createFn, zip } from '../lambda/harness.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

const MIN = 60_000;
const ROLE = 'arn:aws:iam::000000000000:role/CodeDeployServiceRole';
const versionSource = (v: string) => `exports.handler = async () => ({ version: "${v}" });`;

/** a hook that reports `status` for the deployment it is invoked for, with the SDK function code gets */
const hookSource = (status: string) => `
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
exports.handler = async (event) => {
  const client = new CodeDeployClient({});
  await client.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: '${status}' }));
  return 'reported';
};`;

interface Lab {
  emu: TestEmulator;
  clock: ManualClock;
  lambda: LambdaClient;
  cd: CodeDeployClient;
  close(): Promise<void>;
}

async function lab(): Promise<Lab> {
  const clock = new ManualClock(Date.now());
  const emu = await startTestEmulator({ clock });
  const lambda = new LambdaClient(clientConfig(emu.endpoint));
  const cd = new CodeDeployClient(clientConfig(emu.endpoint));
  return {
    emu,
    clock,
    lambda,
    cd,
    async close() {
      lambda.destroy();
      cd.destroy();
      await emu.close();
    },
  };
}

/** fn with versions 1 and 2, alias live → 1; an application and a group with `config` */
async function setUp(l: Lab, config: string, group: Record<string, unknown> = {}) {
  await createFn(l.lambda, 'fn', versionSource('1'));
  await l.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
  await l.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: zip({ 'index.js': versionSource('2') }) }));
  await l.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
  await l.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  await l.cd.send(new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }));
  await l.cd.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'app',
      deploymentGroupName: 'dg',
      serviceRoleArn: ROLE,
      deploymentConfigName: config,
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
      ...group,
    }),
  );
}

async function deploy(l: Lab, hooks: { pre?: string; post?: string } = {}): Promise<string> {
  const appSpec = {
    version: 0.0,
    Resources: [{ fn: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' } } }],
    Hooks: [...(hooks.pre ? [{ BeforeAllowTraffic: hooks.pre }] : []), ...(hooks.post ? [{ AfterAllowTraffic: hooks.post }] : [])],
  };
  const out = await l.cd.send(
    new CreateDeploymentCommand({
      applicationName: 'app',
      deploymentGroupName: 'dg',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: JSON.stringify(appSpec) } },
    }),
  );
  return out.deploymentId!;
}

const turn = () => new Promise((r) => setImmediate(r));

async function info(l: Lab, id: string): Promise<DeploymentInfo> {
  return (await l.cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
}

/** the alias as GetAlias shows it */
async function aliasNow(l: Lab): Promise<string> {
  const alias = await l.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
  return `${alias.FunctionVersion} ${JSON.stringify(alias.RoutingConfig?.AdditionalVersionWeights ?? null)}`;
}

/** the target as BatchGetDeploymentTargets shows it */
async function targetNow(l: Lab, id: string, targetIds: string[]) {
  const target = (await l.cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds }))).deploymentTargets![0]!.lambdaTarget!;
  return {
    weight: target.lambdaFunctionInfo!.targetVersionWeight!,
    status: target.status!,
    events: target.lifecycleEvents!.map((e) => `${e.lifecycleEventName}:${e.status}`),
  };
}

/** the alias, and the target as BatchGetDeploymentTargets shows it */
async function observe(l: Lab, id: string, targetIds: string[]) {
  return { alias: await aliasNow(l), ...(await targetNow(l, id, targetIds)) };
}

/**
 * Move the cloud clock a second at a time until the deployment ends, recording each new state of
 * the alias and the cloud time (since the deployment was created) at which it was first seen.
 * The alias is read every second; the target (its weight, and its status: the end) once the
 * alias moved, and every 30 s of cloud time. A shift moves the alias, and so does the end of
 * every deployment followed here; the 30 s read bounds the wait for one that would end without
 * moving it. (Reading both every second cost 1,440 calls for a 12-minute shift.)
 */
async function follow(l: Lab, id: string, maxMs: number) {
  const t0 = l.clock.now();
  const targetIds = (await l.cd.send(new ListDeploymentTargetsCommand({ deploymentId: id }))).targetIds!;
  assert.deepEqual(targetIds, ['fn:live']);
  const seen: { at: number; alias: string; weight: number }[] = [];
  for (let t = 0; t <= maxMs; t += 1000) {
    for (let i = 0; i < 3; i++) await turn();
    const alias = await aliasNow(l);
    const moved = seen.at(-1)?.alias !== alias;
    if (moved || t % 30_000 === 0) {
      // read after the alias, as observe() did: a weight of this tick or a later one, never an earlier
      const o = await targetNow(l, id, targetIds);
      if (moved) seen.push({ at: l.clock.now() - t0, alias, weight: o.weight });
      if (o.status === 'Succeeded' || o.status === 'Failed') return { seen, status: (await info(l, id)).status };
    }
    l.clock.advance(1000);
  }
  return { seen, status: (await info(l, id)).status };
}

test('Linear10PercentEvery1Minute through the SDKs: GetAlias and BatchGetDeploymentTargets show 0.1 … 0.9 a minute apart, then the flip', async () => {
  const l = await lab();
  try {
    await setUp(l, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    const id = await deploy(l);
    assert.match(id, /^d-[0-9A-Z]{9}$/);
    const { seen, status } = await follow(l, id, 12 * MIN);
    assert.equal(status, 'Succeeded');
    assert.deepEqual(
      seen.map((s) => s.alias),
      [...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `1 {"2":${n / 10}}`), '2 null'],
    );
    assert.deepEqual(seen.map((s) => s.weight), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    // each weight within one tick (1 s) of its minute, counted from the deployment's creation
    seen.forEach((s, i) => assert.ok(Math.abs(s.at - i * MIN) <= 1000, `${s.alias} at ${s.at} ms`));
    const done = await observe(l, id, ['fn:live']);
    assert.deepEqual(done.events, ['BeforeAllowTraffic:Succeeded', 'AllowTraffic:Succeeded', 'AfterAllowTraffic:Succeeded']);
    const group = (await l.cd.send(new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'dg' }))).deploymentGroupInfo!;
    assert.equal(group.lastSuccessfulDeployment?.deploymentId, id);
    assert.deepEqual((await l.cd.send(new ListDeploymentsCommand({ applicationName: 'app', deploymentGroupName: 'dg' }))).deployments, [id]);
  } finally {
    await l.close();
  }
});

test('Canary10Percent5Minutes: 0.1 at once, the flip five minutes later; AllAtOnce flips at once', async () => {
  const l = await lab();
  try {
    await setUp(l, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    const id = await deploy(l);
    const { seen, status } = await follow(l, id, 7 * MIN);
    assert.equal(status, 'Succeeded');
    assert.deepEqual(seen.map((s) => s.alias), ['1 {"2":0.1}', '2 null']);
    assert.ok(seen[0]!.at <= 1000 && Math.abs(seen[1]!.at - 5 * MIN) <= 1000);

    // AllAtOnce, back to version 1 (a deployment whose target is the older version)
    const appSpec = JSON.stringify({
      version: 0.0,
      Resources: [{ fn: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn', Alias: 'live', CurrentVersion: '2', TargetVersion: '1' } } }],
    });
    const back = await l.cd.send(
      new CreateDeploymentCommand({
        applicationName: 'app',
        deploymentGroupName: 'dg',
        deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
        revision: { revisionType: 'String', string: { content: appSpec } },
      }),
    );
    const r = await follow(l, back.deploymentId!, MIN);
    assert.equal(r.status, 'Succeeded');
    assert.deepEqual(r.seen.map((s) => s.alias), ['1 null']);
    assert.equal((await info(l, back.deploymentId!)).deploymentConfigName, 'CodeDeployDefault.LambdaAllAtOnce');
  } finally {
    await l.close();
  }
});

test('a PreTraffic hook reporting Failed: Failed, HOOK_EXECUTION_FAILURE, rolled back, no invocation reached version 2', async () => {
  const l = await lab();
  try {
    await setUp(l, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    await createFn(l.lambda, 'CodeDeployHook_pre', hookSource('Failed'));
    const id = await deploy(l, { pre: 'CodeDeployHook_pre' });
    const versions = new Set<string>();
    let status = 'InProgress';
    // steady traffic to the alias while the hook runs; poll until the deployment ends
    for (let i = 0; i < 600 && status !== 'Failed'; i++) {
      const out = await l.lambda.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: 'live' }));
      versions.add(out.ExecutedVersion!);
      status = (await info(l, id)).status!;
      if (status === 'InProgress') await new Promise((r) => setTimeout(r, 20));
    }
    const d = await info(l, id);
    assert.equal(d.status, 'Failed');
    assert.deepEqual(d.errorInformation, {
      code: 'HOOK_EXECUTION_FAILURE',
      message: 'The deployment failed because one or more of the lifecycle event validation functions failed.',
    });
    assert.deepEqual([...versions], ['1']);
    const rollback = await info(l, d.rollbackInfo!.rollbackDeploymentId!);
    assert.equal(rollback.creator, 'codeDeployRollback');
    assert.equal(rollback.rollbackInfo?.rollbackTriggeringDeploymentId, id);
    await eventually('the rollback deployment Succeeded', async () => (await info(l, rollback.deploymentId!)).status, (st) => st === 'Succeeded' || st === 'Failed' || st === 'Stopped');
    assert.equal((await info(l, rollback.deploymentId!)).status, 'Succeeded');
    const alias = await l.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    assert.equal(alias.FunctionVersion, '1');
    assert.equal(alias.RoutingConfig, undefined);
  } finally {
    await l.close();
  }
});

test('configs and errors by AWS names, through the SDK', async () => {
  const l = await lab();
  try {
    const list = (await l.cd.send(new ListDeploymentConfigsCommand({}))).deploymentConfigsList!;
    assert.equal(list.filter((n) => n.startsWith('CodeDeployDefault.Lambda')).length, 9);
    const cfg = (await l.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' }))).deploymentConfigInfo!;
    assert.deepEqual(cfg.trafficRoutingConfig, { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } });
    assert.equal(cfg.computePlatform, 'Lambda');
    await l.cd.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'Linear25Every2',
        computePlatform: 'Lambda',
        trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } },
      }),
    );
    await assert.rejects(l.cd.send(new GetDeploymentCommand({ deploymentId: 'd-NOPE12345' })), {
      name: 'DeploymentDoesNotExistException',
      message: 'The deployment d-NOPE12345 could not be found',
    });
    await assert.rejects(l.cd.send(new GetDeploymentGroupCommand({ applicationName: 'nope', deploymentGroupName: 'dg' })), {
      name: 'ApplicationDoesNotExistException',
      message: 'No application found for name: nope',
    });
    await assert.rejects(l.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'nope' })), { name: 'DeploymentConfigDoesNotExistException' });
    await assert.rejects(l.cd.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' })), {
      name: 'InvalidDeploymentConfigNameException',
    });
    await setUp(l, 'Linear25Every2');
    await assert.rejects(l.cd.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'Linear25Every2' })), { name: 'DeploymentConfigInUseException' });
    await assert.rejects(
      l.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'dg', revision: { revisionType: 'AppSpecContent', appSpecContent: { content: 'version: 0.0\nResources: []' } } })),
      { name: 'InvalidRevisionException' },
    );
    const id = await deploy(l);
    const { seen } = await follow(l, id, 10 * MIN);
    assert.deepEqual(seen.map((s) => s.weight), [0.25, 0.5, 0.75, 1]);
  } finally {
    await l.close();
  }
});

/** `aws --output json deploy …args` */
const deployCli = (endpoint: string, args: string[]) => awsCli(endpoint, ['--output', 'json', 'deploy', ...args], { env: { AWS_PAGER: '' } });

test('the aws CLI v1 reads the same application, group, deployment and its target', { skip: skipWithoutAws }, async () => {
  const l = await lab();
  try {
    await setUp(l, 'CodeDeployDefault.LambdaAllAtOnce');
    const id = await deploy(l);
    await follow(l, id, MIN);
    // five reads of one finished deployment, independent of each other: the CLI's start-ups at once
    const [apps, gotRun, targets, missing, groupsRun] = await Promise.all([
      deployCli(l.emu.endpoint, ['list-applications']),
      deployCli(l.emu.endpoint, ['get-deployment', '--deployment-id', id]),
      deployCli(l.emu.endpoint, ['batch-get-deployment-targets', '--deployment-id', id, '--target-ids', 'fn:live']),
      deployCli(l.emu.endpoint, ['get-deployment', '--deployment-id', 'd-NOPE12345']),
      deployCli(l.emu.endpoint, ['list-deployment-groups', '--application-name', 'app']),
    ]);
    assert.equal(apps.code, 0, apps.stderr);
    assert.deepEqual(JSON.parse(apps.stdout).applications, ['app']);
    const got = JSON.parse(gotRun.stdout).deploymentInfo;
    assert.equal(got.status, 'Succeeded');
    assert.equal(typeof got.createTime, 'number');
    assert.equal(JSON.parse(targets.stdout).deploymentTargets[0].lambdaTarget.lambdaFunctionInfo.targetVersionWeight, 1);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(DeploymentDoesNotExistException\) when calling the GetDeployment operation: The deployment d-NOPE12345 could not be found/);
    const groups = JSON.parse(groupsRun.stdout);
    assert.deepEqual(groups.deploymentGroups, ['dg']);
  } finally {
    await l.close();
  }
});

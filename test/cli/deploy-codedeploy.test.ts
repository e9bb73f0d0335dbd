/**
 * The bundled app with `DeploymentPreference: Linear10PercentEvery1Minute`, end to end through the
 * built CLI on a fast cloud (--speed 600: a minute of cloud time is 0.1 s): the first deploy
 * creates the alias on version 1 with no deployment; a code change with `deploy --wait` shifts
 * through CodeDeploy to Succeeded; the aws CLI lists the same application, group and deployment;
 * `status` shows the deployment. Then an alarm in ALARM stops the next deployment: deploy --wait
 * exits 1 with CloudFormation's `<id> failed. <message>` and the stack rolled back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDeploymentConfigCommand, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import type { Workspace } from '../../src/lab/workspace.js';
import { TargetClients } from '../../src/targets/clients.js';
import { awsCli, awsOnPath, stopAwsCli } from '../helpers/aws-cli.js';
import { codeDeployWorkspace, removeWorkspace, runCli } from '../helpers/cli.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

let ws: Workspace;
let endpoint: string;
let record: { codeDeployApplication: string; functions: { name: string; deploymentGroupName: string }[] };

/** `aws --output json …args` against the workspace's cloud */
const aws = (args: string[]) => awsCli(endpoint, ['--output', 'json', ...args]);

function editCode(mark: string): void {
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// ${mark}\n`);
}

before(async () => {
  ({ ws, endpoint } = await codeDeployWorkspace('cd', 600));
});

after(async () => {
  await removeWorkspace(ws.root);
});

test('first deploy: application and deployment group created, the alias straight on version 1, no deployment', async () => {
  const r = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /created\s+AWS::CodeDeploy::Application\s+ServerlessDeploymentApplication ServerlessOps-stack-ServerlessDeploymentApplication-\w+/);
  assert.match(r.stdout, /created\s+AWS::CodeDeploy::DeploymentGroup\s+GetInfoFunctionDeploymentGroup ServerlessOps-stack-GetInfoFunctionDeploymentGroup-\w+ — CodeDeployDefault\.LambdaLinear10PercentEvery1Minute/);
  assert.match(r.stdout, /created\s+AWS::Lambda::Alias .* on Lambda version 1/);
  assert.doesNotMatch(r.stdout, /CodeDeploy deployment started/);
  record = JSON.parse(readFileSync(ws.deployRecord, 'utf8'));
  assert.match(record.codeDeployApplication, /^ServerlessOps-stack-ServerlessDeploymentApplication-/);
});

test('a code change with --wait: a CodeDeploy deployment shifts live to version 2 and succeeds', async () => {
  editCode('v2');
  const r = await runCli(['deploy', '--workspace', ws.root, '--wait'], { timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr);
  const id = /^CodeDeploy deployment started: (d-[A-Z0-9]{9}) \(\S+:live, Lambda version 1 → 2\)$/m.exec(r.stdout)?.[1];
  assert.ok(id, r.stdout);
  assert.match(r.stdout, new RegExp(`updated\\s+AWS::Lambda::Alias .* CodeDeploy deployment ${id} started from Lambda version 1 to 2`));
  assert.match(r.stderr, new RegExp(`${id} Succeeded: \\S+:live on Lambda version 2`));

  const fn = record.functions[0];
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    const alias = await c.lambda.send(new GetAliasCommand({ FunctionName: fn.name, Name: 'live' }));
    assert.equal(alias.FunctionVersion, '2');
    assert.deepEqual(alias.RoutingConfig?.AdditionalVersionWeights ?? {}, {});
  } finally {
    c.destroy();
  }

  const s = await runCli(['status', '--workspace', ws.root]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`latest deployment ${id}: Succeeded \\(CodeDeployDefault\\.LambdaLinear10PercentEvery1Minute\\)`));
  assert.match(s.stdout, /lifecycle: BeforeAllowTraffic Succeeded, AllowTraffic Succeeded, AfterAllowTraffic Succeeded/);

  if (!awsOnPath) return;
  // four reads of one finished deployment, independent of each other: the CLI's start-ups at once
  const [apps, groups, deps, got] = await Promise.all([
    aws(['deploy', 'list-applications']),
    aws(['deploy', 'list-deployment-groups', '--application-name', record.codeDeployApplication]),
    aws(['deploy', 'list-deployments', '--application-name', record.codeDeployApplication, '--deployment-group-name', fn.deploymentGroupName]),
    aws(['deploy', 'get-deployment', '--deployment-id', id]),
  ]);
  assert.equal(apps.code, 0, apps.stderr);
  assert.ok((JSON.parse(apps.stdout).applications as string[]).includes(record.codeDeployApplication), apps.stdout);
  assert.equal(groups.code, 0, groups.stderr);
  assert.deepEqual(JSON.parse(groups.stdout).deploymentGroups, [fn.deploymentGroupName]);
  assert.equal(deps.code, 0, deps.stderr);
  assert.ok((JSON.parse(deps.stdout).deployments as string[]).includes(id), deps.stdout);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(JSON.parse(got.stdout).deploymentInfo.status, 'Succeeded');
});

test('a deployment stopped mid-shift: deploy --wait exits 1 with "<id> failed. <message>", the stack rolled back to version 2', async () => {
  // a canary that waits 48 cloud hours (about 5 minutes at --speed 600): the stop surely comes first
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    await c.codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'LabSlowCanary',
        computePlatform: 'Lambda',
        trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 2880 } },
      }),
    );
    writeFileSync(ws.template, readFileSync(ws.template, 'utf8').replace('Type: Linear10PercentEvery1Minute\n', 'Type: LabSlowCanary\n'));
    editCode('v3');
    const running = runCli(['deploy', '--workspace', ws.root, '--wait'], { timeoutMs: 180_000 });
    let id: string | undefined;
    const until = Date.now() + 120_000;
    while (!id) {
      assert.ok(Date.now() < until, 'no deployment started');
      await new Promise((r) => setTimeout(r, 200));
      id = await latestDeployment(c);
    }
    for (;;) {
      const d = (await c.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
      if (d.status === 'InProgress') break;
      assert.ok(Date.now() < until && !['Succeeded', 'Failed', 'Stopped'].includes(d.status!), `deployment ${d.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await c.codeDeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    const r = await running;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^CodeDeploy deployment started: ${id} \\(\\S+:live, Lambda version 2 → 3\\)$`, 'm'));
    assert.match(r.stderr, new RegExp(`^error: ${id} failed\\. \\S.*$`, 'm'));
    assert.match(r.stderr, /the stack rolled back \(UPDATE_ROLLBACK_COMPLETE\): \S+:live is on Lambda version 2 by rollback deployment d-[A-Z0-9]{9}; Lambda version 3 stays published/);
    const alias = await c.lambda.send(new GetAliasCommand({ FunctionName: record.functions[0].name, Name: 'live' }));
    assert.equal(alias.FunctionVersion, '2');
    assert.equal(JSON.parse(readFileSync(ws.deployRecord, 'utf8')).functions[0].version, '2');
    writeFileSync(ws.template, readFileSync(ws.template, 'utf8').replace('Type: LabSlowCanary\n', 'Type: Linear10PercentEvery1Minute\n'));
  } finally {
    c.destroy();
  }
});

/** the group's newest deployment that is not a rollback, once there is one newer than the last test's */
async function latestDeployment(c: TargetClients): Promise<string | undefined> {
  const { ListDeploymentsCommand, BatchGetDeploymentsCommand } = await import('@aws-sdk/client-codedeploy');
  const ids = (await c.codeDeploy.send(new ListDeploymentsCommand({ applicationName: record.codeDeployApplication, deploymentGroupName: record.functions[0].deploymentGroupName, includeOnlyStatuses: ['Created', 'Queued', 'InProgress'] }))).deployments ?? [];
  if (!ids.length) return undefined;
  const infos = (await c.codeDeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: ids }))).deploymentsInfo ?? [];
  return infos.find((d) => d.creator !== 'codeDeployRollback')?.deploymentId;
}

test('an alarm of the group in ALARM: deploy --wait exits 1, "<id> failed. <message>", the stack rolled back', async () => {
  // SAM's documented alarm on the alias; missing data treated as breaching puts it in ALARM at its first evaluation
  const text = readFileSync(ws.template, 'utf8')
    .replace('        #   Type: Linear10PercentEvery1Minute\n', '')
    .replace(/(DeploymentPreference:\n\s+Type: Linear10PercentEvery1Minute\n)/, '$1        Alarms:\n          - !Ref AliasErrors\n')
    .replace('  ImagesBucket:\n    Type: AWS::S3::Bucket\n', `  ImagesBucket:
    Type: AWS::S3::Bucket

  AliasErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      MetricName: Errors
      Namespace: AWS/Lambda
      Period: 60
      Statistic: Sum
      Threshold: 0
      TreatMissingData: breaching
      Dimensions:
        - Name: Resource
          Value: !Sub "\${GetInfoFunction}:live"
        - Name: FunctionName
          Value: !Ref GetInfoFunction
`);
  writeFileSync(ws.template, text);
  const first = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /created\s+AWS::CloudWatch::Alarm\s+AliasErrors \S+ — Errors \(Resource=\S+:live, FunctionName=\S+\)/);
  assert.match(first.stdout, /updated\s+AWS::CodeDeploy::DeploymentGroup .*; alarms \S+/);
  const alarmName = JSON.parse(readFileSync(ws.deployRecord, 'utf8')).alarms[0] as string;

  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      const a = (await c.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
      if (a?.StateValue === 'ALARM') break;
      assert.ok(Date.now() < until, `alarm still ${a?.StateValue}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    c.destroy();
  }

  editCode('v4');
  const r = await runCli(['deploy', '--workspace', ws.root, '--wait'], { timeoutMs: 180_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const id = /^CodeDeploy deployment started: (d-[A-Z0-9]{9})/m.exec(r.stdout)?.[1];
  assert.ok(id, r.stdout);
  assert.match(r.stderr, new RegExp(`^error: ${id} failed\\. One or more alarms have been activated`, 'm'));
  assert.match(r.stderr, /the stack rolled back \(UPDATE_ROLLBACK_COMPLETE\): \S+:live is on Lambda version 2/);
  const s = await runCli(['status', '--workspace', ws.root, '--json']);
  const st = JSON.parse(s.stdout) as { functions: { aliases: { version: string }[] }[]; alarms: { state: string }[] };
  assert.equal(st.functions[0].aliases[0].version, '2');
  assert.equal(st.alarms[0].state, 'ALARM');
});

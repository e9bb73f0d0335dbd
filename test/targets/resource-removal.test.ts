/**
 * What leaves the template leaves the cloud, as CloudFormation does it: deleted after the rest
 * applied, dependents first, listed among the changes; kept when its DeletionPolicy is Retain. A
 * record of an older version (no types) loads and its resources stay, named in a warning; a
 * removal stopped half-way is finished by the next deploy.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetApplicationCommand, GetDeploymentCommand, GetDeploymentGroupCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InterruptedError, LabError } from '../../src/errors.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { TargetClients } from '../../src/targets/clients.js';
import { readDeployRecord } from '../../src/targets/deploy-record.js';
import { deployLocal, type LocalDeployResult } from '../../src/targets/deployers/local.js';
import { silentLog, type DeployLog, type ResourceChange } from '../../src/targets/deployers/types.js';
import { removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;
let original: string;

before(async () => {
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-removal-')));
  await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  original = readFileSync(ws.template, 'utf8');
});
after(async () => {
  await removeWorkspace(ws.root);
});

const deploy = (log: DeployLog = silentLog, signal?: AbortSignal) => deployLocal({ workspace: ws, stackName: 'lab', log, signal });

async function cloud<T>(endpoint: string, f: (c: TargetClients) => Promise<T>): Promise<T> {
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    return await f(c);
  } finally {
    c.destroy();
  }
}

/** the lab's template, its DeploymentPreference uncommented or not, then `edit` */
function template(opts: { preference: boolean }, edit: (t: string) => string = (t) => t): void {
  const t = opts.preference ? original.replace('      # DeploymentPreference:\n      #   Type: Linear10PercentEvery1Minute\n', '      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute\n') : original;
  assert.ok(!opts.preference || t !== original);
  writeFileSync(ws.template, edit(t));
}

const row = (r: LocalDeployResult, id: string): ResourceChange | undefined => r.changes.find((c) => c.logicalId === id);
const CODEDEPLOY_IDS = ['GetInfoFunctionDeploymentGroup', 'ServerlessDeploymentApplication', 'CodeDeployServiceRole'];

/** the CodeDeploy application and group the last deploy recorded */
function recordedGroup(): { app: string; group: string } {
  const rec = readDeployRecord(ws)!;
  return { app: rec.physicalIds.ServerlessDeploymentApplication, group: rec.physicalIds.GetInfoFunctionDeploymentGroup };
}

const missing = (name: string) => (err: Error) => {
  assert.equal(err.name, name);
  return true;
};

test('a DeploymentPreference removed: its deployment group, application and role are deleted, and listed', async () => {
  template({ preference: true });
  const on = await deploy();
  // (a role is recorded, not created, in the local cloud: it has no row until it is removed)
  for (const id of CODEDEPLOY_IDS.slice(0, 2)) assert.equal(row(on, id)?.change, 'created', id);
  const { app, group } = recordedGroup();

  template({ preference: false });
  const off = await deploy();
  assert.deepEqual(
    CODEDEPLOY_IDS.map((id) => [id, row(off, id)?.change, row(off, id)?.detail]),
    CODEDEPLOY_IDS.map((id) => [id, 'deleted', 'removed from the template']),
  );
  // dependents first: the group before its application
  const order = off.changes.map((c) => c.logicalId);
  assert.ok(order.indexOf('GetInfoFunctionDeploymentGroup') < order.indexOf('ServerlessDeploymentApplication'), order.join(' '));
  await cloud(off.endpoint, async (c) => {
    await assert.rejects(c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })), missing('ApplicationDoesNotExistException'));
    await assert.rejects(c.codeDeploy.send(new GetApplicationCommand({ applicationName: app })), missing('ApplicationDoesNotExistException'));
  });
  const rec = readDeployRecord(ws)!;
  for (const id of CODEDEPLOY_IDS) assert.ok(!(id in rec.resources!) && !(id in rec.physicalIds), id);
  assert.equal(rec.codeDeployApplication, undefined);
  assert.equal(rec.resources!.GetInfoFunction.type, 'AWS::Lambda::Function');

  // the next deploy has nothing left to remove
  const again = await deploy();
  assert.deepEqual(again.changes.filter((c) => c.change === 'deleted'), []);
});

test('a removal stopped half-way (Ctrl-C between two deletions) is finished by the next deploy', async () => {
  template({ preference: true });
  await deploy();
  const { app, group } = recordedGroup();
  const record = readFileSync(ws.deployRecord, 'utf8');

  template({ preference: false });
  const ctrl = new AbortController();
  let deleting = 0;
  // Ctrl-C as the second deletion is announced: the group is deleted, its application not yet
  const log: DeployLog = {
    info: (line) => {
      if (/^deleting /.test(line) && ++deleting === 2) ctrl.abort();
    },
    warn() {},
  };
  await assert.rejects(deploy(log, ctrl.signal), (err: Error) => {
    assert.ok(err instanceof InterruptedError, String(err));
    assert.match(err.message, /^deploy interrupted before deleting CodeDeploy application \S+: run deploy again to finish/);
    return true;
  });
  assert.equal(readFileSync(ws.deployRecord, 'utf8'), record, 'the record still lists what is left to remove');
  const endpoint = readDeployRecord(ws)!.endpoint!;
  await cloud(endpoint, async (c) => {
    await assert.rejects(c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })), missing('DeploymentGroupDoesNotExistException'));
    await c.codeDeploy.send(new GetApplicationCommand({ applicationName: app }));
  });

  const retry = await deploy();
  for (const id of CODEDEPLOY_IDS) assert.equal(row(retry, id)?.change, 'deleted', id);
  await cloud(endpoint, (c) => assert.rejects(c.codeDeploy.send(new GetApplicationCommand({ applicationName: app })), missing('ApplicationDoesNotExistException')));
  assert.ok(!('ServerlessDeploymentApplication' in readDeployRecord(ws)!.physicalIds));
});

test('a deployment group is not deleted while a deployment of it shifts: the deploy says so, and the next one after it ended deletes it', async () => {
  template({ preference: true });
  await deploy();
  // a release: CodeDeploy shifts live 10 % a minute
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// a release\n`);
  const shifting = await deploy();
  const started = shifting.deployments.find((d) => !d.joined);
  assert.ok(started, 'a CodeDeploy deployment started');
  const { app: appName, group } = recordedGroup();

  template({ preference: false });
  await assert.rejects(deploy(), (err: Error) => {
    assert.ok(err instanceof LabError, String(err));
    assert.equal(err.message, `deploy failed while deleting deployment group ${group}: A conflicting deployment is in progress: ${started.deploymentId} in deployment group ${group}`);
    assert.match(err.hint ?? '', /wait for it to end .*, or stop it, then deploy again:\n.*stop-deployment --deployment-id/s);
    return true;
  });
  await cloud(shifting.endpoint, async (c) => {
    await c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: appName, deploymentGroupName: group }));
    await c.codeDeploy.send(new StopDeploymentCommand({ deploymentId: started.deploymentId, autoRollbackEnabled: true }));
    for (;;) {
      const d = await c.codeDeploy.send(new GetDeploymentCommand({ deploymentId: started.deploymentId }));
      if (d.deploymentInfo?.status === 'Stopped' || d.deploymentInfo?.status === 'Failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  const after = await deploy();
  assert.equal(row(after, 'GetInfoFunctionDeploymentGroup')?.change, 'deleted');
  await cloud(after.endpoint, (c) => assert.rejects(c.codeDeploy.send(new GetApplicationCommand({ applicationName: appName })), missing('ApplicationDoesNotExistException')));
});

test('a record of an older version (no types) loads: what left the template stays in the cloud, named in a warning', async () => {
  template({ preference: true });
  await deploy();
  const { app, group } = recordedGroup();
  const old = JSON.parse(readFileSync(ws.deployRecord, 'utf8')) as Record<string, unknown>;
  delete old.resources;
  writeFileSync(ws.deployRecord, JSON.stringify(old, null, 2));

  template({ preference: false });
  const warnings: string[] = [];
  const r = await deploy({ info() {}, warn: (w) => warnings.push(w) });
  const said = warnings.find((w) => w.includes('older version'));
  assert.ok(said, warnings.join('\n'));
  for (const id of CODEDEPLOY_IDS) assert.ok(said.includes(id), said);
  assert.match(said, /left in the embedded cloud, not deleted/);
  assert.deepEqual(r.changes.filter((c) => c.change === 'deleted'), []);
  await cloud(r.endpoint, (c) => c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })));
  // the record is rewritten with types: the next deploy knows what each resource is
  assert.equal(readDeployRecord(ws)!.resources!.GetInfoFunction.type, 'AWS::Lambda::Function');
});

const RETAINED_ALARM = `
  KeptAlarm:
    Type: AWS::CloudWatch::Alarm
    DeletionPolicy: Retain
    Properties:
      AlarmName: lab-kept-alarm
      Namespace: AWS/Lambda
      MetricName: Errors
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
`;

test('AutoPublishAlias removed: the alias is deleted, its versions stay (DeletionPolicy Retain); a Retain alarm stays', async () => {
  template({ preference: false }, (t) => t.replace('  ImagesBucket:\n    Type: AWS::S3::Bucket\n', `  ImagesBucket:\n    Type: AWS::S3::Bucket\n${RETAINED_ALARM}`));
  const on = await deploy();
  assert.equal(row(on, 'KeptAlarm')?.change, 'created');
  const fn = on.outputs.FunctionName;
  assert.equal(readDeployRecord(ws)!.resources!.GetInfoFunctionVersion.retain, true);

  template({ preference: false }, (t) => t.replace('      AutoPublishAlias: live\n', ''));
  const off = await deploy();
  assert.equal(row(off, 'GetInfoFunctionAliaslive')?.change, 'deleted');
  assert.equal(row(off, 'GetInfoFunctionVersion')?.change, 'retained');
  assert.equal(row(off, 'KeptAlarm')?.change, 'retained');
  assert.match(row(off, 'KeptAlarm')!.detail!, /DeletionPolicy Retain/);
  await cloud(off.endpoint, async (c) => {
    await assert.rejects(c.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' })), missing('ResourceNotFoundException'));
    const versions = (await c.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }))).Versions ?? [];
    assert.ok(versions.some((v) => v.Version === '1'), JSON.stringify(versions.map((v) => v.Version)));
    const alarms = (await c.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['lab-kept-alarm'] }))).MetricAlarms ?? [];
    assert.equal(alarms.length, 1);
  });
  // the API now calls the function itself
  const res = await fetch(off.outputs.ApiUrl, { method: 'POST', body: JSON.stringify({ bucket: off.outputs.ImagesBucket, key: 'cat.jpg' }) });
  assert.equal(res.status, 200);
  const rec = readDeployRecord(ws)!;
  assert.ok(!('KeptAlarm' in rec.resources!) && !('GetInfoFunctionAliaslive' in rec.resources!));
});

test('a bucket removed: deleted when empty; one that is not is kept, as S3 refuses, with a warning', async () => {
  const buckets = '  EmptyBucket:\n    Type: AWS::S3::Bucket\n  FullBucket:\n    Type: AWS::S3::Bucket\n';
  template({ preference: false }, (t) => t.replace('  ImagesBucket:\n    Type: AWS::S3::Bucket\n', `  ImagesBucket:\n    Type: AWS::S3::Bucket\n${buckets}`));
  const on = await deploy();
  const empty = row(on, 'EmptyBucket')!.physicalId!;
  const full = row(on, 'FullBucket')!.physicalId!;
  await cloud(on.endpoint, (c) => c.s3.send(new PutObjectCommand({ Bucket: full, Key: 'kept.txt', Body: 'x' })));

  template({ preference: false });
  const warnings: string[] = [];
  const off = await deploy({ info() {}, warn: (w) => warnings.push(w) });
  assert.equal(row(off, 'EmptyBucket')?.change, 'deleted');
  assert.equal(row(off, 'FullBucket')?.change, 'retained');
  assert.match(row(off, 'FullBucket')!.detail!, /not empty/);
  assert.ok(warnings.some((w) => w.includes('FullBucket') && w.includes('not empty')), warnings.join('\n'));
  await cloud(off.endpoint, async (c) => {
    await assert.rejects(c.s3.send(new HeadBucketCommand({ Bucket: empty })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 404);
    await c.s3.send(new HeadBucketCommand({ Bucket: full }));
  });
  assert.ok(!('FullBucket' in readDeployRecord(ws)!.resources!), 'kept outside the stack: the record forgets it');
});

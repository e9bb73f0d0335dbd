/**
 * The aws target while `sam deploy` waits on CloudFormation, which waits on the CodeDeploy
 * deployment of the alias (CodeDeployLambdaAliasUpdate): the lab learns of the deployment while
 * sam still runs, waits for sam after it, reads a stack rolled back by CodeDeploy as the release's
 * verdict (not a template error), and ends sam by its PID on Ctrl-C. No account: a stand-in `sam`
 * that runs until the test releases it, and stand-in CloudFormation (Query) and CodeDeploy (JSON 1.1).
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { InterruptedError, LabError } from '../../src/errors.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { FUNCTION_NAME, OUTPUTS, REGION, RESOURCES, STACK_ID, STACK_NAME } from './sam-stack-fixture.js';

const GROUP = 'ServerlessOps-stack-GetInfoFunctionDeploymentGroup-ZxCvBn987654';
const ALARM = 'ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-9XyZ8WvU7TsR';
const DEPLOYMENT = 'd-RGSWBD91L';
const ROLLBACK = 'd-J5KH1W91L';
const ALARM_MESSAGE = `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${ALARM}>`;

interface Deployment {
  status: string;
  creator: string;
  createTime: Date;
  errorCode?: string;
  message?: string;
  rollbackId?: string;
}

/** what the stand-in cloud says; each test sets it */
const cloud = {
  stackStatus: 'UPDATE_IN_PROGRESS',
  /** the stack's resources; the sample bucket is left out (nothing to upload) */
  resources: RESOURCES.filter((r) => r.LogicalResourceId !== 'ImagesBucket'),
  events: [] as { type: string; status: string; reason?: string; at: Date }[],
  deployments: new Map<string, Deployment>(),
  /** ms ListDeployments takes (a slow look) */
  listDelayMs: 0,
  /** called when a ListDeployments call arrives */
  onList: undefined as (() => void) | undefined,
  /** GetDeployment of this id fails once (an error the SDK does not retry) */
  failGetOnce: undefined as string | undefined,
};

let dir: string;
let ws: Workspace;
let server: Server;
const savedEnv = { ...process.env };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sol-sam-bg-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // `sam build` ends at once; `sam deploy` runs until the test writes its exit code to `release`,
  // as sam waits while CloudFormation waits for CodeDeploy; SIGINT is noted and ends it
  writeFileSync(
    join(bin, 'sam'),
    [
      '#!/bin/sh',
      `D='${dir}'`,
      '[ "$1" = build ] && exit 0',
      'echo $$ > "$D/sam.pid"',
      '[ -f "$D/say" ] && cat "$D/say" >&2',
      `trap 'echo interrupted > "$D/sam.interrupted"; exit 130' INT`,
      'i=0',
      'while [ ! -f "$D/release" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done',
      'echo ended > "$D/sam.ended"',
      'exit "$(cat "$D/release" 2>/dev/null || echo 9)"',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'sam'), 0o755);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('CodeDeploy_20141006.')) return codeDeploy(target.split('.')[1]!, JSON.parse(body || '{}'), res);
      cloudFormation(new URLSearchParams(body).get('Action') ?? '', res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') && !k.startsWith('AWS_SDK_')) delete process.env[k];
  Object.assign(process.env, {
    PATH: `${bin}${delimiter}${process.env.PATH}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: REGION,
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_CLOUDFORMATION: url,
    AWS_ENDPOINT_URL_CODEDEPLOY: url,
  });
});

after(async () => {
  process.env = savedEnv;
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const f of ['release', 'sam.pid', 'sam.ended', 'sam.interrupted', 'say']) rmSync(join(dir, f), { force: true });
  cloud.stackStatus = 'UPDATE_IN_PROGRESS';
  cloud.listDelayMs = 0;
  cloud.onList = undefined;
  cloud.failGetOnce = undefined;
  cloud.events = [];
  cloud.deployments.clear();
  ws = workspacePaths(mkdtempSync(join(dir, 'ws-')));
});

const ns = 'xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"';
const el = (name: string, v: unknown) => (v === undefined ? '' : `<${name}>${v instanceof Date ? v.toISOString() : String(v)}</${name}>`);

function cloudFormation(action: string, res: import('node:http').ServerResponse) {
  res.setHeader('content-type', 'text/xml');
  const wrap = (inner: string) => `<${action}Response ${ns}><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></${action}Response>`;
  if (action === 'DescribeStacks') {
    const outputs = OUTPUTS.filter((o) => o.OutputKey !== 'ImagesBucket').map((o) => `<member>${el('OutputKey', o.OutputKey)}${el('OutputValue', o.OutputValue)}</member>`).join('');
    return res.end(wrap(`<Stacks><member>${el('StackName', STACK_NAME)}${el('StackId', STACK_ID)}<CreationTime>2026-12-01T00:00:00Z</CreationTime>${el('StackStatus', cloud.stackStatus)}<Outputs>${outputs}</Outputs></member></Stacks>`));
  }
  if (action === 'DescribeStackResources') {
    const members = cloud.resources.map((r) => `<member>${['StackName', 'StackId', 'LogicalResourceId', 'PhysicalResourceId', 'ResourceType', 'Timestamp', 'ResourceStatus'].map((k) => el(k, r[k as keyof typeof r])).join('')}</member>`).join('');
    return res.end(wrap(`<StackResources>${members}</StackResources>`));
  }
  if (action === 'DescribeStackEvents') {
    // newest first, as CloudFormation lists them
    const members = [...cloud.events].reverse().map((e, i) => `<member>${el('EventId', `e${i}`)}${el('StackName', STACK_NAME)}${el('StackId', STACK_ID)}${el('LogicalResourceId', e.type === 'AWS::Lambda::Alias' ? 'GetInfoFunctionAliaslive' : STACK_NAME)}${el('ResourceType', e.type)}${el('Timestamp', e.at)}${el('ResourceStatus', e.status)}${el('ResourceStatusReason', e.reason?.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'))}</member>`).join('');
    return res.end(wrap(`<StackEvents>${members}</StackEvents>`));
  }
  res.statusCode = 400;
  res.end(`<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
}

function codeDeploy(op: string, input: Record<string, unknown>, res: import('node:http').ServerResponse) {
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  const info = (id: string) => {
    const d = cloud.deployments.get(id)!;
    return {
      deploymentId: id,
      applicationName: 'app',
      deploymentGroupName: GROUP,
      deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      status: d.status,
      creator: d.creator,
      createTime: d.createTime.getTime() / 1000,
      ...(d.errorCode ? { errorInformation: { code: d.errorCode, message: d.message } } : {}),
      ...(d.rollbackId ? { rollbackInfo: { rollbackDeploymentId: d.rollbackId } } : {}),
    };
  };
  if (op === 'ListDeployments') {
    assert.equal(input.deploymentGroupName, GROUP);
    cloud.onList?.();
    const answer = () => res.end(JSON.stringify({ deployments: [...cloud.deployments.keys()] }));
    if (cloud.listDelayMs) setTimeout(answer, cloud.listDelayMs);
    else answer();
    return;
  }
  if (op === 'GetDeployment') {
    if (cloud.failGetOnce === input.deploymentId) {
      cloud.failGetOnce = undefined;
      res.statusCode = 400;
      return res.end(JSON.stringify({ __type: 'InvalidDeploymentIdException', message: 'refused once' }));
    }
    return res.end(JSON.stringify({ deploymentInfo: info(String(input.deploymentId)) }));
  }
  if (op === 'ListDeploymentTargets') return res.end(JSON.stringify({ targetIds: [`${FUNCTION_NAME}:live`] }));
  if (op === 'BatchGetDeploymentTargets') {
    return res.end(
      JSON.stringify({
        deploymentTargets: [{ deploymentTargetType: 'LambdaTarget', lambdaTarget: { deploymentId: input.deploymentId, targetId: `${FUNCTION_NAME}:live`, status: 'InProgress', lambdaFunctionInfo: { functionName: FUNCTION_NAME, functionAlias: 'live', currentVersion: '3', targetVersion: '4', targetVersionWeight: 0.1 } } }],
      }),
    );
  }
  res.statusCode = 400;
  res.end(JSON.stringify({ __type: 'InvalidOperationException', message: op }));
}

function labContext(io: RecordingIoHost, signal = new AbortController().signal): LiveLabContext {
  return new LiveLabContext({ io, ws, target: { kind: 'aws', region: REGION }, progress: ProgressStore.load(ws, 'aws'), reference: new ReferenceBook([]), ci: true, speed: 1, signal, samPollMs: 50 });
}

/** a lab whose deploy() has returned while sam deploy still waits on the shift; ended after the test */
async function deployedWhileShifting(t: { after(fn: () => void): void }) {
  const io = new RecordingIoHost();
  const ctrl = new AbortController();
  const ctx = labContext(io, ctrl.signal);
  t.after(() => ctx.destroy());
  void until(() => existsSync(join(dir, 'sam.pid'))).then(startShift);
  await ctx.deploy();
  return { io, ctrl, ctx };
}

/** the shift CloudFormation started: InProgress until the test ends it */
function startShift() {
  cloud.deployments.set(DEPLOYMENT, { status: 'InProgress', creator: 'user', createTime: new Date() });
}

const samRunning = () => existsSync(join(dir, 'sam.pid')) && !existsSync(join(dir, 'sam.ended'));
const release = (code: number) => writeFileSync(join(dir, 'release'), String(code));

async function until(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

test('deploy() returns once CloudFormation has started the CodeDeploy deployment, while sam deploy still runs; settleDeploy waits for sam', async (t) => {
  const io = new RecordingIoHost();
  const ctx = labContext(io);
  t.after(() => ctx.destroy());
  // CloudFormation starts the deployment once sam deploy runs, and holds the alias until it ends
  void until(() => existsSync(join(dir, 'sam.pid'))).then(startShift);
  const result = await ctx.deploy();
  assert.ok(samRunning(), 'sam deploy still runs: the lab can show the shift while it happens');
  assert.deepEqual(ctx.lastDeployments, [{ deploymentId: DEPLOYMENT, functionName: FUNCTION_NAME, alias: 'live', from: '3', to: '4' }]);
  assert.deepEqual(result.deployments?.map((d) => d.deploymentId), [DEPLOYMENT]);
  // the record already names what the update added: the deployment group and the alarm
  const rec = JSON.parse(readFileSync(ws.deployRecord, 'utf8'));
  assert.equal(rec.functions.find((f: { logicalId: string }) => f.logicalId === 'GetInfoFunction').deploymentGroupName, GROUP);
  assert.equal(rec.physicalIds.AliasErrorMetricGreaterThanZeroAlarm, ALARM);

  cloud.deployments.get(DEPLOYMENT)!.status = 'Succeeded';
  cloud.stackStatus = 'UPDATE_COMPLETE';
  const settled = ctx.settleDeploy();
  release(0);
  await settled;
  assert.ok(existsSync(join(dir, 'sam.ended')));
  assert.match(io.text, /sam deploy finished: the stack update is complete/);
  // nothing left to wait for
  await ctx.settleDeploy();
});

test('a stack rolled back because CodeDeploy stopped its deployment (ALARM_ACTIVE) is the release\'s verdict, not a template error', async (t) => {
  const io = new RecordingIoHost();
  const ctx = labContext(io);
  t.after(() => ctx.destroy());
  void until(() => existsSync(join(dir, 'sam.pid'))).then(startShift);
  await ctx.deploy();
  // the alarm stops it; CodeDeploy rolls back; CloudFormation fails the alias and rolls the stack back (§B.1, LAB-SAM)
  const began = new Date();
  cloud.deployments.set(DEPLOYMENT, { status: 'Stopped', creator: 'user', createTime: began, errorCode: 'ALARM_ACTIVE', message: ALARM_MESSAGE, rollbackId: ROLLBACK });
  cloud.deployments.set(ROLLBACK, { status: 'Succeeded', creator: 'codeDeployRollback', createTime: new Date() });
  cloud.events.push(
    { type: 'AWS::Lambda::Alias', status: 'UPDATE_FAILED', at: new Date(), reason: `Resource handler returned message: "${DEPLOYMENT} failed. ${ALARM_MESSAGE}" (RequestToken: 1f2e3d4c-0000-1111-2222-333344445555, HandlerErrorCode: InternalFailure)` },
    { type: 'AWS::CloudFormation::Stack', status: 'UPDATE_ROLLBACK_IN_PROGRESS', at: new Date(), reason: 'The following resource(s) failed to update: [GetInfoFunctionAliaslive].' },
    { type: 'AWS::CloudFormation::Stack', status: 'UPDATE_ROLLBACK_COMPLETE', at: new Date() },
  );
  cloud.stackStatus = 'UPDATE_ROLLBACK_COMPLETE';
  const settled = ctx.settleDeploy();
  release(1);
  await settled;
  assert.match(io.text, new RegExp(`the stack update rolled back: ${DEPLOYMENT} failed\\. One or more alarms have been activated`));
  assert.match(io.text, new RegExp(`CodeDeploy stopped deployment ${DEPLOYMENT} \\(ALARM_ACTIVE\\), so CloudFormation rolled the stack update back \\(UPDATE_ROLLBACK_COMPLETE\\)`));
  assert.doesNotMatch(io.text, /fix the template/);
  assert.ok(existsSync(ws.deployRecord));
});

test('a stack update that failed for another reason is still sam\'s failure, with its fix', async (t) => {
  const io = new RecordingIoHost();
  const ctx = labContext(io);
  t.after(() => ctx.destroy());
  cloud.events.push({ type: 'AWS::CloudWatch::Alarm', status: 'UPDATE_FAILED', at: new Date(), reason: 'Property validation failure: [Value of property {/Threshold} does not match type {Number}]' });
  cloud.stackStatus = 'UPDATE_ROLLBACK_COMPLETE';
  void until(() => existsSync(join(dir, 'sam.pid'))).then(() => release(1));
  await assert.rejects(ctx.deploy(), (err: Error) => {
    assert.ok(err instanceof LabError && !(err instanceof InterruptedError), String(err));
    assert.match(err.message, /^`sam deploy --stack-name ServerlessOps-stack .*` failed \(exit code 1\)$/);
    assert.match((err as LabError).hint ?? '', /fix the template or the account/);
    return true;
  });
});

test('Ctrl-C while sam deploy waits on the deployment: sam is sent SIGINT by its PID and has ended when the wait rejects', async (t) => {
  const { ctrl, ctx } = await deployedWhileShifting(t);
  assert.ok(samRunning());
  const settled = ctx.settleDeploy();
  ctrl.abort();
  await assert.rejects(settled, (err: Error) => {
    assert.ok(err instanceof InterruptedError, String(err));
    assert.match(err.message, /CloudFormation finishes it: see the stack events/);
    return true;
  });
  assert.ok(existsSync(join(dir, 'sam.interrupted')), 'sam got SIGINT');
  const pid = Number(readFileSync(join(dir, 'sam.pid'), 'utf8'));
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

test('a deploy while the previous sam deploy still waits on its deployment names that deployment, how to stop it, and that Ctrl-C stops waiting', async (t) => {
  const { io, ctrl, ctx } = await deployedWhileShifting(t);
  // a hook that never reports holds the deployment: the next deploy waits for the previous sam deploy
  const next = ctx.deploy();
  next.catch(() => undefined);
  await until(() => /the previous sam deploy still runs/.test(io.text));
  const said = io.of('say').map((e) => e.text).find((l) => /the previous sam deploy still runs/.test(l))!;
  assert.match(said, new RegExp(`CodeDeploy deployment ${DEPLOYMENT}`));
  assert.ok(
    io.of('command').some((e) => e.data === `aws deploy stop-deployment --deployment-id ${DEPLOYMENT} --auto-rollback-enabled --region ${REGION}`),
    io.text,
  );
  assert.match(io.text, /Ctrl-C stops waiting \(progress is saved\)/);
  // Ctrl-C: the wait ends, sam with it
  ctrl.abort();
  await assert.rejects(next, (err: Error) => err instanceof InterruptedError);
  assert.ok(existsSync(join(dir, 'sam.interrupted')), 'sam got SIGINT');
});

test('the lab ending (destroy) while sam deploy still runs ends sam by its PID', async () => {
  const io = new RecordingIoHost();
  const ctx = labContext(io);
  void until(() => existsSync(join(dir, 'sam.pid'))).then(startShift);
  await ctx.deploy();
  const pid = Number(readFileSync(join(dir, 'sam.pid'), 'utf8'));
  ctx.destroy();
  await until(() => existsSync(join(dir, 'sam.interrupted')));
  await until(() => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
});

test('`deploy --target aws`: a CodeDeploy rollback fails with CloudFormation\'s reason and says the stack rolled back, not "fix the template"', async () => {
  const { deployWithSam } = await import('../../src/targets/deployers/sam.js');
  const { rolledBackError } = await import('../../src/commands/deploy.js');
  // a hook said Failed: no event names the deployment here, CodeDeploy's own verdict does
  void until(() => existsSync(join(dir, 'sam.pid'))).then(() => {
    cloud.deployments.set(DEPLOYMENT, { status: 'Failed', creator: 'user', createTime: new Date(), errorCode: 'HOOK_EXECUTION_FAILURE', message: 'The deployment failed because one or more of the lifecycle event validation functions failed.', rollbackId: ROLLBACK });
    cloud.stackStatus = 'UPDATE_ROLLBACK_COMPLETE';
    release(1);
  });
  const result = await deployWithSam({ workspace: ws, stackName: STACK_NAME, region: REGION, log: { info() {}, warn() {} }, pollMs: 50 });
  assert.equal(result.rolledBack?.deploymentId, DEPLOYMENT);
  const err = rolledBackError(result.rolledBack!);
  assert.equal(err.message, `${DEPLOYMENT} failed. The deployment failed because one or more of the lifecycle event validation functions failed.`);
  assert.match(err.hint ?? '', new RegExp(`^the stack rolled back \\(UPDATE_ROLLBACK_COMPLETE\\): CodeDeploy failed deployment ${DEPLOYMENT} \\(HOOK_EXECUTION_FAILURE\\) and moved the alias back by rollback deployment ${ROLLBACK}`));
});

test('an earlier update\'s rollback still on the stack (this update refused before it began) is sam\'s failure, quoted, not a rollback', async (t) => {
  const io = new RecordingIoHost();
  const ctx = labContext(io);
  t.after(() => ctx.destroy());
  // three minutes ago a hook refused the last release: the stack still shows that rollback
  const earlier = new Date(Date.now() - 3 * 60_000);
  const OLD = 'd-OLDREFUSE';
  cloud.deployments.set(OLD, { status: 'Failed', creator: 'user', createTime: earlier, errorCode: 'HOOK_EXECUTION_FAILURE', message: 'a hook failed' });
  cloud.events.push(
    { type: 'AWS::Lambda::Alias', status: 'UPDATE_FAILED', at: earlier, reason: `${OLD} failed. a hook failed` },
    { type: 'AWS::CloudFormation::Stack', status: 'UPDATE_ROLLBACK_COMPLETE', at: earlier },
  );
  cloud.stackStatus = 'UPDATE_ROLLBACK_COMPLETE';
  // now a template error: the change set is refused, no event, no deployment
  writeFileSync(join(dir, 'say'), 'Error: Failed to create changeset for the stack: ServerlessOps-stack, Unresolved resource dependencies [AliasErrorAlarm] in the Resources block of the template\n');
  void until(() => existsSync(join(dir, 'sam.pid'))).then(() => release(1));
  await assert.rejects(ctx.deploy(), (err: Error) => {
    assert.ok(err instanceof LabError && !(err instanceof InterruptedError), String(err));
    assert.match(err.message, /failed \(exit code 1\); its last lines:\n  Error: Failed to create changeset .*Unresolved resource dependencies/);
    return true;
  });
  assert.doesNotMatch(io.text, /rolled back|d-OLDREFUSE/);
});

test('Ctrl-C while the lab reads the deployments before sam deploy: sam deploy never starts', async () => {
  const io = new RecordingIoHost();
  const ctrl = new AbortController();
  const ctx = labContext(io, ctrl.signal);
  cloud.listDelayMs = 400;
  cloud.deployments.set('d-EARLIER01', { status: 'Succeeded', creator: 'user', createTime: new Date() });
  // Ctrl-C while the look before sam deploy waits for its answer (the call's arrival, not a time)
  cloud.onList = () => ctrl.abort();
  await assert.rejects(ctx.deploy(), (err: Error) => {
    assert.ok(err instanceof InterruptedError, String(err));
    assert.match(err.message, /before `sam deploy` started: nothing in AWS changed/);
    return true;
  });
  ctx.destroy();
  assert.equal(existsSync(join(dir, 'sam.pid')), false, 'sam deploy was started after Ctrl-C');
});

test('a look that fails after finding a deployment keeps it: the next look returns it', async () => {
  const { StackDeploymentWatcher } = await import('../../src/targets/deployers/sam-codedeploy.js');
  const { TargetClients } = await import('../../src/targets/clients.js');
  const clients = new TargetClients({ kind: 'aws', region: REGION });
  try {
    const watcher = new StackDeploymentWatcher(clients.cloudFormation, clients.codeDeploy, STACK_NAME, new Date());
    await watcher.baseline();
    cloud.deployments.set('d-FIRST0001', { status: 'InProgress', creator: 'user', createTime: new Date() });
    cloud.deployments.set('d-SECOND001', { status: 'InProgress', creator: 'user', createTime: new Date() });
    cloud.failGetOnce = 'd-SECOND001';
    await assert.rejects(watcher.poll());
    const next = await watcher.poll();
    assert.deepEqual(next.map((d) => d.deploymentId), ['d-FIRST0001', 'd-SECOND001']);
    assert.deepEqual(await watcher.poll(), []);
    assert.deepEqual(watcher.found.map((d) => d.deploymentId), ['d-FIRST0001', 'd-SECOND001']);
  } finally {
    clients.destroy();
  }
});

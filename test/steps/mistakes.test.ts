/**
 * Fixtures of typical learner mistakes: each fails its check with the intended message and hint.
 * The template ones are static checks on the bundled app's template, changed as a learner would;
 * reserved concurrency is checked against a real local cloud.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { runLiveChecks, runStaticChecks, type StaticCheck, type WorkspaceFiles } from '../../src/lab/check.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { hooksPrefixed, knownDeploymentType, templateParses, timeoutAbove3 } from '../../src/steps/shared/template-checks.js';
import { reserveStep, restoreStep } from '../../src/steps/concurrency.js';
import { removeWorkspace } from '../helpers/cli.js';

const BUNDLED = readFileSync(new URL('../../../sam-app/template.yaml', import.meta.url), 'utf8');
const WITH_PREFERENCE = BUNDLED.replace(
  `      # DeploymentPreference:
      #   Type: Linear10PercentEvery1Minute`,
  `      DeploymentPreference:
        Type: Linear10PercentEvery1Minute`,
);

function files(template: string): WorkspaceFiles {
  return { samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? template : undefined) };
}

async function one(check: StaticCheck, template: string) {
  const [r] = await runStaticChecks([check], files(template));
  return r!;
}

test('the bundled template passes the template checks it should, and is not yet blue/green', async () => {
  assert.equal((await one(templateParses, BUNDLED)).status, 'passed');
  assert.equal((await one(timeoutAbove3, BUNDLED)).status, 'passed');
  assert.notEqual(WITH_PREFERENCE, BUNDLED, 'the fixture edits the bundled template');
  assert.equal((await one(knownDeploymentType, BUNDLED)).status, 'not-yet');
  assert.equal((await one(knownDeploymentType, WITH_PREFERENCE)).status, 'passed');
});

test('Timeout: 3 fails with version 2\'s 3 s wait as the reason', async () => {
  const r = await one(timeoutAbove3, WITH_PREFERENCE.replace('Timeout: 10', 'Timeout: 3'));
  assert.equal(r.status, 'not-yet');
  assert.equal(r.expected, 'more than 3 (seconds)');
  assert.equal(r.found, '3');
  assert.match(r.hint!, /version 2 waits 3 s before it answers: with Timeout 3 every call times out/);
});

test('a DeploymentPreference Type with the CodeDeployDefault prefix is named, with the fix', async () => {
  const r = await one(knownDeploymentType, WITH_PREFERENCE.replace('Type: Linear10PercentEvery1Minute', 'Type: CodeDeployDefault.LambdaLinear10PercentEvery1Minute'));
  assert.equal(r.status, 'not-yet');
  assert.equal(r.found, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  assert.match(r.hint!, /SAM adds the CodeDeployDefault.Lambda prefix itself/);
});

test('a hook without the CodeDeployHook_ prefix fails with the IAM reason and the name to use', async () => {
  const hooked = WITH_PREFERENCE.replace(
    '        Type: Linear10PercentEvery1Minute',
    '        Type: Linear10PercentEvery1Minute\n        Hooks:\n          PreTraffic: !Ref PreTrafficHook',
  ).replace(
    '  ImagesBucket:\n',
    '  PreTrafficHook:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: preTrafficHook\n      CodeUri: src/\n      Handler: app.handler\n\n  ImagesBucket:\n',
  );
  const r = await one(hooksPrefixed, hooked);
  assert.equal(r.status, 'not-yet', JSON.stringify(r));
  assert.equal(r.found, 'FunctionName: preTrafficHook');
  assert.match(r.hint!, /may only invoke functions named CodeDeployHook_\*; any other name fails the deployment with IAM_ROLE_PERMISSIONS\. Give the hook FunctionName: CodeDeployHook_PreTrafficHook/);
  const fixed = await one(hooksPrefixed, hooked.replace('FunctionName: preTrafficHook', 'FunctionName: CodeDeployHook_preTrafficHook'));
  assert.equal(fixed.status, 'passed');
});

test('a template that does not parse says where', async () => {
  const r = await one(templateParses, BUNDLED.replace('Resources:', 'Resources:\n  - broken: [1'));
  assert.equal(r.status, 'not-yet');
  assert.match(r.found!, /template\.yaml:\d+:\d+/);
});

describeLive();

function describeLive(): void {
  let dir: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sol-mistakes-'));
    ws = workspacePaths(dir);
    await scaffoldWorkspace(ws);
    const { ensureEmulator } = await import('../../src/emulator/daemon.js');
    const emu = await ensureEmulator({ stateDir: ws.stateDir });
    const io = new RecordingIoHost();
    ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: emu.endpoint }, progress: ProgressStore.load(ws, 'local'), reference: new ReferenceBook([]), ci: true, speed: 1, signal: new AbortController().signal });
    await ctx.deploy();
  });
  after(async () => {
    ctx?.destroy();
    await removeWorkspace(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  test('too much reserved concurrency: expected 25, found 900, and why 900 is wrong', async () => {
    const fn = ctx.deployment().functions[0]!.name;
    await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 900 }));
    const [r] = await runLiveChecks(reserveStep.liveChecks, ctx);
    assert.equal(r!.status, 'not-yet');
    assert.equal(r!.expected, '25 reserved');
    assert.equal(r!.found, '900 reserved');
    assert.match(r!.hint!, /900 is more than the lab's 25: the load test would never be throttled/);
    assert.match(r!.aws!, /^aws lambda get-function-concurrency --function-name \S+ --endpoint-url http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('a reservation of 0 instead of none: the restore check says it stops the function', async () => {
    const fn = ctx.deployment().functions[0]!.name;
    await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
    const [r] = await runLiveChecks(restoreStep.liveChecks, ctx);
    assert.equal(r!.status, 'not-yet');
    assert.equal(r!.found, '0 reserved');
    assert.match(r!.hint!, /a reservation of 0 stops the function altogether/);
  });
}

/**
 * The hints of a failed request name the cause the cloud reports, not a guess: a function that
 * fails at init (a syntax error, a handler that is not exported) is named with the file and line
 * to fix, a timeout only when the function timed out, and a stage variable the deployed
 * integration names but the stage does not set. Against a real local cloud, through the same SDK
 * calls the aws target makes (Invoke's FunctionError and error payload, API Gateway's export).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeploymentCommand, PutIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { runLiveChecks, runStaticChecks, type WorkspaceFiles } from '../../src/lab/check.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { formatCheck } from '../../src/io/format.js';
import { blueGreenStep, answersFromV2 } from '../../src/steps/blue-green.js';
import { deployStep } from '../../src/steps/deploy.js';
import { canarySteps } from '../../src/steps/canary.js';
import { findRoute } from '../../src/steps/canary/stage-variable.js';
import { removeWorkspace } from '../helpers/cli.js';
import { DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { appFunction } from '../../src/steps/shared/app.js';

const BUNDLED = readFileSync(new URL('../../../sam-app/template.yaml', import.meta.url), 'utf8');
const V2 = readFileSync(new URL('../../../templates/blue-green/src/app.mjs', import.meta.url), 'utf8');

const plain = { green: String, red: String, yellow: String, dim: String, bold: String } as unknown as Parameters<typeof formatCheck>[1];

test('a template that does not parse: its error is shown once, the other checks are marked not run because of it', async () => {
  const broken = BUNDLED.replace('Resources:', 'Resources:\n  - broken: [1');
  const files: WorkspaceFiles = { samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? broken : undefined) };
  // the template's checks; the one of src/app.mjs reads no template
  const results = (await runStaticChecks(blueGreenStep.staticChecks, files)).filter((r) => r.file === 'sam-app/template.yaml');
  assert.equal(results.length, 3);
  const withError = results.filter((r) => /template\.yaml:\d+:\d+/.test(r.found ?? ''));
  assert.equal(withError.length, 1, 'the parse error once');
  assert.equal(withError[0]!.name, 'template.yaml parses');
  for (const r of results.slice(1)) {
    assert.equal(r.status, 'not-yet');
    assert.equal(r.found, undefined);
    assert.equal(r.notRun, 'template.yaml does not parse (see "template.yaml parses" above)');
    const text = formatCheck(r, plain, Infinity).join('\n');
    assert.match(text, /\(not run\)\n {4}because template\.yaml does not parse/);
    assert.doesNotMatch(text, /expected|found/);
  }
});

describe('a failed request names why, against a local cloud', () => {
  let dir: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  let progress: ProgressStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sol-failure-hints-'));
    ws = workspacePaths(dir);
    await scaffoldWorkspace(ws);
    const { ensureEmulator } = await import('../../src/emulator/daemon.js');
    const emu = await ensureEmulator({ stateDir: ws.stateDir, speed: 1 });
    const io = new RecordingIoHost();
    progress = ProgressStore.load(ws, 'local');
    ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: emu.endpoint }, progress, reference: new ReferenceBook([]), ci: true, speed: 1, signal: new AbortController().signal });
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  const deployWith = async (template: string, app?: string) => {
    writeFileSync(ws.template, template);
    if (app !== undefined) writeFileSync(join(ws.samApp, 'src', 'app.mjs'), app);
    await ctx.deploy();
  };
  const answerCheck = async (check = deployStep.liveChecks[1]!) => {
    const [r] = await runLiveChecks([check], ctx);
    return r!;
  };

  test('Handler: app.handlr: the check names HandlerNotFound and the template line', async () => {
    const template = BUNDLED.replace('Handler: app.handler', 'Handler: app.handlr');
    await deployWith(template);
    const r = await answerCheck();
    assert.equal(r.status, 'not-yet');
    assert.match(r.found!, /^HTTP 502/);
    const line = template.split('\n').findIndex((l) => l.includes('Handler: app.handlr')) + 1;
    assert.match(r.hint!, /HandlerNotFound: app\.handlr is undefined or not exported/);
    assert.ok(r.hint!.includes(`Handler: app.handlr in template.yaml line ${line}`), r.hint);
    assert.match(r.hint!, /src\/app\.mjs exports handler/);
  });

  test('a syntax error in src/app.mjs: the file, line and message, not a timeout', async () => {
    const lines = V2.split('\n');
    const at = lines.findIndex((l) => l.includes('export const handler'));
    assert.ok(at > 0, 'version 2 exports handler');
    lines.splice(at, 0, 'const broken = ;');
    await deployWith(BUNDLED, lines.join('\n'));
    const r = await answerCheck(answersFromV2);
    assert.equal(r.status, 'not-yet');
    assert.match(r.hint!, new RegExp(`^the function fails at init: Runtime\\.UserCodeSyntaxError in src/app\\.mjs line ${at + 1}: SyntaxError: Unexpected token`));
    assert.doesNotMatch(r.hint!, /Timeout/);
  });

  test('version 2 with Timeout 3: the hint says it timed out', async () => {
    await deployWith(BUNDLED.replace('Timeout: 10', 'Timeout: 3'), V2);
    const r = await answerCheck(answersFromV2);
    assert.equal(r.status, 'not-yet');
    assert.match(r.hint!, /^the function timed out .*Timeout is 3 s\): is Timeout above 3\?/);
  });

  test('app version 2 without its wait: the check does not claim the wait it did not see, and says what to add', async () => {
    const noWait = V2.replace('  await new Promise((resolve) => setTimeout(resolve, WAIT_MS));\n', '');
    assert.notEqual(noWait, V2);
    await deployWith(BUNDLED, noWait);
    const r = await answerCheck(answersFromV2);
    assert.equal(r.status, 'not-yet');
    assert.equal(r.expected, 'app version 2, answering after its 3 s wait');
    assert.match(r.found!, /^app version 2, Lambda version \d+, answering in \d+ ms$/);
    assert.match(r.hint!, /^the deployed code does not wait: app version 2 waits 3 s before it asks Rekognition/);
    // with the wait, it passes
    await deployWith(BUNDLED, V2);
    assert.equal((await answerCheck(answersFromV2)).status, 'passed');
  });

  test('a reservation of 0 throttles every call: the deploy check says so with the command that ends it, and marks the 500 as the app failing, not gone', async () => {
    await deployWith(BUNDLED);
    const fn = appFunction(ctx).name;
    await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
    try {
      const r = await answerCheck();
      assert.equal(r.status, 'not-yet');
      assert.equal(r.serverError, 500);
      // it said "the function answers when Lambda invokes it directly", or nothing
      assert.match(r.hint!, /^the function's reserved concurrency is 0, so Lambda throttles every call to it \(ReservedFunctionConcurrentInvocationLimitExceeded\) and the API answers HTTP 500\. Remove the reservation \(delete, not 0\):\n\$ aws lambda delete-function-concurrency --function-name \S+ --endpoint-url/);
      // in the concurrency chapter, before the throttled load test has passed: the lab's 25 back
      progress.update('concurrency-reserve', (s) => void (s.status = 'done'));
      const chapter = await answerCheck();
      assert.match(chapter.hint!, /The throttled load test starts from 25 reserved; put them back:\n\$ aws lambda put-function-concurrency --function-name \S+ --reserved-concurrent-executions 25 /);
    } finally {
      progress.clear(['concurrency-reserve']);
      await ctx.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn }));
    }
    assert.equal((await answerCheck()).status, 'passed');
  });

  test('canary-stage-variable: a typo in the integration\'s stage variable is named, deployed or not', async () => {
    await deployWith(BUNDLED, V2);
    const step = canarySteps.find((s) => s.id === 'canary-stage-variable')!;
    const rec = ctx.deployment();
    const api = rec.apis[0]!;
    const fnArn = rec.functions.find((f) => f.logicalId === 'GetInfoFunction')!.arn.split(':').slice(0, 7).join(':');
    const route = (await findRoute(ctx.clients.apiGateway, { restApiId: api.restApiId, stageName: api.stage }, '/getinfo', 'POST'))!;
    const apigw = ctx.clients.apiGateway;
    await apigw.send(new UpdateStageCommand({ restApiId: api.restApiId, stageName: api.stage, patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: 'live' }] }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.restApiId,
        resourceId: route.resourceId,
        httpMethod: 'POST',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${rec.region}:lambda:path/2015-03-31/functions/${fnArn}:\${stageVariables.lambdaAlia}/invocations`,
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.restApiId, stageName: api.stage }));
    const [integration, variable, served, requests] = await runLiveChecks(step.liveChecks, ctx);
    assert.equal(integration!.status, 'not-yet');
    assert.match(integration!.hint!, /^the integration names stageVariables\.lambdaAlia, the stage sets lambdaAlias/);
    assert.equal(variable!.status, 'passed');
    assert.equal(served!.status, 'not-yet');
    assert.match(served!.hint!, /^the deployed integration names stageVariables\.lambdaAlia, the stage sets lambdaAlias/);
    assert.doesNotMatch(served!.hint!, /run create-deployment/);
    assert.equal(requests!.status, 'not-yet');
    assert.match(requests!.hint!, /^the deployed integration names stageVariables\.lambdaAlia, the stage sets lambdaAlias/);
  });
});

/**
 * Step 6 (canary-stage-variable) on a stage that already has a canary (the learner ran the canary
 * step's create-deployment --canary-settings before deploying the stage): AWS refuses
 * create-deployment --stage-name Prod without --canary-settings there ("Non canary deployment not
 * supported on stage Prod because Canary is enabled…"), so the step's third command, its hint and
 * "do it for me" failed where AWS would fail them. Now they make the deployment without a stage
 * and move the stage onto it with update-stage; the learner's canary stays.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, GetStageCommand, PutIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { runLiveChecks } from '../../src/lab/check.js';
import { formatCheck, stripAnsi } from '../../src/io/format.js';
import { paint } from '../../src/io/terminal.js';
import type { LabContext } from '../../src/lab/context.js';
import type { RecordingIoHost } from '../../src/io/recording.js';
import type { Hint } from '../../src/lab/step.js';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { stageVariableUri } from '../../src/steps/canary/stage-variable.js';
import { runWithAwsEnv, skipWithoutAws } from '../helpers/aws-cli.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const step = canarySteps.find((s) => s.id === 'canary-stage-variable')!;
const bash = (command: string) => runWithAwsEnv('bash', ['-euo', 'pipefail', '-c', command], { timeoutMs: 120_000 });

describe('canary-stage-variable on a stage that has a canary', () => {
  let cloud: CanaryCloud;
  let ctx: LabContext;
  let restApiId: string;
  beforeEach(async () => {
    cloud = await startCanaryCloud();
    ctx = cloud.contextFor(step.id);
    const t = await target(ctx);
    restApiId = t.route.restApiId;
    const apigw = cloud.clients.apiGateway;
    // the variable and the integration, then a canary instead of the stage's deployment
    await apigw.send(new UpdateStageCommand({ restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: 'live' }] }));
    await apigw.send(
      new PutIntegrationCommand({ restApiId, resourceId: t.route.resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: stageVariableUri(t.region, t.functionArn) }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'Prod', canarySettings: { percentTraffic: 10, stageVariableOverrides: { lambdaAlias: 'live' } } }));
  });
  afterEach(async () => {
    await cloud?.close();
  });

  const stageNow = () => cloud.clients.apiGateway.send(new GetStageCommand({ restApiId, stageName: 'Prod' }));
  const served = async () => (await runLiveChecks(step.liveChecks, ctx)).find((r) => r.name.startsWith('the Prod stage serves the new integration'))!;

  it('the hint names update-stage onto a deployment made without a stage; run as printed, the stage serves it and the canary stays', { skip: skipWithoutAws }, async () => {
    const canary = (await stageNow()).canarySettings;
    const fromState = step.hints.filter((h): h is Exclude<Hint, string> => typeof h !== 'string');
    const signal = new AbortController().signal;
    const hint = (await Promise.all(fromState.map((h) => h.fromState(ctx, signal)))).filter(Boolean).join('\n');
    const end = `--endpoint-url ${cloud.emu.endpoint}`;
    const command = `aws apigateway update-stage --rest-api-id ${restApiId} --stage-name Prod --patch-operations op=replace,path=/deploymentId,value=$(aws apigateway create-deployment --rest-api-id ${restApiId} --query id --output text ${end}) ${end}`;
    assert.ok(hint.includes(`\n$ ${command}`), hint);
    assert.match(hint, /still serves deployment \S+, made before put-integration; it has a canary, and API Gateway takes a deployment to such a stage only as the canary's/);
    const before = await served();
    assert.equal(before.status, 'not-yet');
    assert.ok(before.hint?.endsWith(`\n$ ${command}`), before.hint);
    // as a terminal shows the check, with and without colour: every line within 80 columns
    for (const color of [false, true]) {
      const lines = formatCheck({ name: before.name, status: 'not-yet', expected: before.expected ?? '', found: before.found ?? '', hint: before.hint }, paint(color), 80).map(stripAnsi);
      for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
    }

    // the step's own third command, as AWS answers it here
    const refused = await bash(`aws apigateway create-deployment --rest-api-id ${restApiId} --stage-name Prod ${end}`);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /An error occurred \(BadRequestException\) when calling the CreateDeployment operation: Invalid deployment content specified\.Non canary deployment not supported on stage Prod because Canary is enabled\. Provide CanarySettings in deploymentInput\./,
    );

    const r = await bash(command);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await served()).status, 'passed');
    assert.deepEqual((await stageNow()).canarySettings, canary);
  });

  it('the commands printed after prepare deploy the same way, and work as printed', { skip: skipWithoutAws }, async () => {
    await step.prepare!(ctx);
    const printed = step.action.kind === 'command' ? step.action.command(ctx) : '';
    assert.doesNotMatch(printed, /create-deployment --rest-api-id \S+ --stage-name/);
    for (const line of printed.split('\n')) {
      const r = await bash(line);
      assert.equal(r.code, 0, `${line}\n${r.stderr}`);
    }
    assert.equal((await served()).status, 'passed');
    assert.ok((await stageNow()).canarySettings);
  });

  it('prepare says why the third command is update-stage, before the commands are printed', async () => {
    await step.prepare!(ctx);
    const said = (ctx.io as RecordingIoHost).events.filter((e) => e.kind === 'say').map((e) => e.text);
    assert.deepEqual(said, [
      "The third command is not create-deployment --stage-name Prod: the Prod stage has a canary, and API Gateway takes a deployment to such a stage only as the canary's (create-deployment --stage-name without --canary-settings is refused), so the deployment is made without a stage and update-stage moves the stage onto it (the canary stays).",
    ]);
  });

  it('"do it for me" moves the stage onto a new deployment and keeps the canary', async () => {
    const canary = (await stageNow()).canarySettings;
    await step.solve!.apply(ctx);
    assert.equal((await served()).status, 'passed');
    assert.deepEqual((await stageNow()).canarySettings, canary);
  });
});

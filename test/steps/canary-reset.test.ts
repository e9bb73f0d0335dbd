/**
 * `reset` back before the canary chapter puts the API Gateway stage back on the last deploy's
 * deployment: a deploy of an API that did not change makes no new deployment, so the stage kept
 * serving what the canary steps made by hand (the promoted version through ${stageVariables.lambdaAlias}),
 * and blue-green's checks then met version 5 instead of the alias `live`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { GetIntegrationCommand, GetStageCommand, PutIntegrationCommand } from '@aws-sdk/client-api-gateway';
import { resetCommand } from '../../src/commands/reset.js';
import { ensureEmulator, stopEmulator } from '../../src/emulator/daemon.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { findTarget, measure, stageUndo, usesStageVariable } from '../../src/steps/canary/lesson.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { writeDeployRecord } from '../../src/targets/deploy-record.js';
import { labWorkspace } from '../lab/helpers.js';
import { startCanaryCloud, workspaceCanaryCloud as workspaceCloud, type CanaryCloud } from './canary-fixture.js';

const solve = async (cloud: CanaryCloud, ids: string[]) => {
  for (const id of ids) await canarySteps.find((s) => s.id === id)!.solve.apply(cloud.contextFor(id));
};

test('reset canary-stage-variable (the chapter\'s first step) after the promotion puts the stage back where the chapter starts: no canary, no lambdaAlias, the integration on live', async () => {
  const dir = await labWorkspace('sol-canary-reset-start-');
  const ws = workspacePaths(dir);
  const { cloud, api, deployed, record } = await workspaceCloud(dir);
  try {
    const apigw = cloud.clients.apiGateway;
    await solve(cloud, ['canary-stage-variable', 'canary-create', 'canary-promote']);
    const progress = ProgressStore.load(ws, 'local');
    for (const id of ['canary-stage-variable', 'canary-create', 'canary-promote']) progress.update(id, (p) => void ((p.status = 'done'), (p.doneAt = new Date().toISOString())));
    const t = await findTarget(apigw, record);

    const io = new RecordingIoHost();
    await resetCommand('canary-stage-variable', { workspace: dir, yes: true }, new InterruptPolicy(), io);

    const stage = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }));
    assert.equal(stage.deploymentId, deployed, io.text);
    assert.equal(stage.canarySettings, undefined);
    assert.deepEqual(stage.variables ?? {}, {});
    const integration = await apigw.send(new GetIntegrationCommand({ restApiId: api.restApiId, resourceId: t.route.resourceId, httpMethod: 'POST' }));
    assert.match(integration.uri!, /:live\/invocations$/);
    const after = await measure(t, '1', 20, { concurrency: 2 });
    assert.equal(after.share, 100, `every answer from live (version 1): ${JSON.stringify(after.split.byVersion)}`);
    assert.match(io.text, /canary-stage-variable and the steps after it are pending again/);
    assert.match(io.text, new RegExp(`put the Prod stage back on deployment ${deployed}, the last deploy's, without the stage variable lambdaAlias`));
    assert.match(io.text, /set the integration of POST \/getinfo back/);
    // it said the stage stays as the learner set it; it no longer does
    assert.doesNotMatch(io.text, /stay as you set them/);
    const states = ProgressStore.load(ws, 'local');
    assert.equal(states.step('canary-stage-variable').status, 'pending');
    // the step starts from the stage the deploy made: its checks find the work not done
    assert.equal(await usesStageVariable(apigw, t), false);
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a deployment that reads lambdaAlias itself (the learner\'s template) keeps the variable, set to the alias, and reset says so and why', async () => {
  const dir = await labWorkspace('sol-canary-reset-tpl-');
  const { cloud, api, deployed, record } = await workspaceCloud(dir, { readsVariable: true });
  try {
    const apigw = cloud.clients.apiGateway;
    await solve(cloud, ['canary-create', 'canary-promote']);
    const promoted = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }));
    assert.notEqual(promoted.variables?.lambdaAlias, 'live', 'the promotion moved the variable off live');
    const t = await findTarget(apigw, record);

    const io = new RecordingIoHost();
    await resetCommand('blue-green', { workspace: dir, yes: true }, new InterruptPolicy(), io);

    const stage = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }));
    assert.equal(stage.deploymentId, deployed, io.text);
    assert.equal(stage.canarySettings, undefined);
    assert.deepEqual(stage.variables, { lambdaAlias: 'live' });
    const after = await measure(t, '1', 20, { concurrency: 2 });
    assert.equal(after.share, 100, `every answer from live (version 1): ${JSON.stringify(after.split.byVersion)}`);
    assert.doesNotMatch(io.text, /without the stage variable/);
    assert.match(
      io.text,
      new RegExp(`put the Prod stage back on deployment ${deployed}, the last deploy's, and kept its stage variable lambdaAlias=live \\(the alias live of lab-GetInfoFunction.*it had deployment ${promoted.deploymentId}, lambdaAlias=${promoted.variables!.lambdaAlias}\\): that deployment's integration reads`),
    );
    // the integration is the template's, not the chapter's: nothing to set back
    assert.doesNotMatch(io.text, /integration of POST/);
    const again = new RecordingIoHost();
    await resetCommand('canary-stage-variable', { workspace: dir, yes: true }, new InterruptPolicy(), again);
    assert.doesNotMatch(again.text, /stage back|kept its stage variable|integration of|serves deployment/);
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the put-integration command left after a failed call names the alias the stack has, not live', async () => {
  const cloud = await startCanaryCloud(undefined, { alias: 'blue' });
  try {
    const apigw = cloud.clients.apiGateway;
    const api = cloud.record.apis[0]!;
    const deployed = (await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }))).deploymentId!;
    await solve(cloud, ['canary-stage-variable', 'canary-create', 'canary-promote']);
    const t = await findTarget(apigw, cloud.record);
    const failing = new Proxy(apigw, {
      get: (target, key, receiver) =>
        key === 'send'
          ? (cmd: unknown, ...rest: unknown[]) => (cmd instanceof PutIntegrationCommand ? Promise.reject(new Error('throttled')) : (target.send as (...a: unknown[]) => unknown)(cmd, ...rest))
          : Reflect.get(target, key, receiver),
    });
    const undo = await stageUndo({ apiGateway: failing, lambda: cloud.clients.lambda }, t, deployed);
    const put = undo.at(-1)!;
    // as reset says it before any call: from the deploy record's alias
    assert.match(put.command, new RegExp(`^apigateway put-integration .* --uri arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${t.functionArn}:blue/invocations$`));
    for (const u of undo.slice(0, -1)) await u.run();
    await assert.rejects(put.run(), /throttled/);
    // what reset prints after the failure: the URI the deployment calls
    assert.match(put.command, /:blue\/invocations$/);
    assert.doesNotMatch(put.command, /:live\//);
  } finally {
    await cloud.close();
  }
});

test('reset blue-green after the canary was promoted: the stage serves the alias live again, without canary or stage variable, and reset says what it did', async () => {
  const dir = await labWorkspace('sol-canary-reset-');
  const ws = workspacePaths(dir);
  // the workspace's own cloud (a daemon, as deploy starts it), which reset finds by the workspace
  const cloud = await startCanaryCloud(async () => {
    const emu = await ensureEmulator({ stateDir: ws.stateDir });
    return { endpoint: emu.endpoint, port: emu.port, stateDir: ws.stateDir, services: [], close: async () => void (await stopEmulator(ws.stateDir)) };
  });
  try {
    const apigw = cloud.clients.apiGateway;
    const api = cloud.record.apis[0]!;
    const deployed = (await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }))).deploymentId!;
    const record = { ...cloud.record, apis: [{ ...api, deploymentId: deployed }] };
    await writeDeployRecord(ws, record);
    for (const id of ['canary-stage-variable', 'canary-create', 'canary-promote']) await canarySteps.find((s) => s.id === id)!.solve.apply(cloud.contextFor(id));
    const t = await findTarget(apigw, record);
    const before = await measure(t, '1', 20, { concurrency: 2 });
    assert.equal(before.share, 0, `the promoted canary answers: ${JSON.stringify(before.split.byVersion)}`);

    const io = new RecordingIoHost();
    await resetCommand('blue-green', { workspace: dir, yes: true }, new InterruptPolicy(), io);

    const stage = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }));
    assert.equal(stage.deploymentId, deployed);
    assert.equal(stage.canarySettings, undefined);
    assert.deepEqual(stage.variables ?? {}, {});
    const integration = await apigw.send(new GetIntegrationCommand({ restApiId: api.restApiId, resourceId: t.route.resourceId, httpMethod: 'POST' }));
    assert.match(integration.uri!, /:live\/invocations$/);
    const after = await measure(t, '1', 20, { concurrency: 2 });
    assert.equal(after.share, 100, `every answer from live (version 1): ${JSON.stringify(after.split.byVersion)}`);
    assert.match(io.text, new RegExp(`put the Prod stage back on deployment ${deployed}, the last deploy's, without the stage variable lambdaAlias`));
    assert.match(io.text, /set the integration of POST \/getinfo back/);
    assert.match(io.text, /the rest of the cloud keeps what it has: deploy/);
    // a second reset finds nothing to put back, and says nothing of the stage
    const again = new RecordingIoHost();
    await resetCommand('blue-green', { workspace: dir, yes: true }, new InterruptPolicy(), again);
    assert.doesNotMatch(again.text, /stage back|integration of/);
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

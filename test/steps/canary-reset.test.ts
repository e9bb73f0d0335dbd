/**
 * `reset` back before the canary chapter puts the API Gateway stage back on the last deploy's
 * deployment: a deploy of an API that did not change makes no new deployment, so the stage kept
 * serving what the canary steps made by hand (the promoted version through ${stageVariables.lambdaAlias}),
 * and blue-green's checks then met version 5 instead of the alias `live`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { GetIntegrationCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { resetCommand } from '../../src/commands/reset.js';
import { ensureEmulator, stopEmulator } from '../../src/emulator/daemon.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { measure } from '../../src/steps/canary/lesson.js';
import { findTarget } from '../../src/steps/canary/lesson.js';
import { writeDeployRecord } from '../../src/targets/deploy-record.js';
import { labWorkspace } from '../lab/helpers.js';
import { startCanaryCloud } from './canary-fixture.js';

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

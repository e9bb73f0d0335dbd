/**
 * blue-green (or a hooks step) done again after the canary chapter, without a reset: the chapter
 * left the stage calling a Lambda version through ${stageVariables.lambdaAlias}, so the release the
 * step shifts on "live" never reached the stage (`step blue-green --ci` exited 1, "found app
 * version 5, Lambda version 9"). The step's prepare puts the stage back as `reset blue-green` does
 * (canary-reset.test.ts), and says so; before the chapter has begun it reads nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { GetIntegrationCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { RecordingIoHost } from '../../src/io/recording.js';
import { blueGreenStep } from '../../src/steps/blue-green.js';
import { canarySteps } from '../../src/steps/canary.js';
import { findTarget } from '../../src/steps/canary/lesson.js';
import { errorsRollbackStep } from '../../src/steps/hooks-alarms.js';
import { fakeContext } from '../helpers/lab-context.js';
import { labWorkspace } from '../lab/helpers.js';
import { workspaceCanaryCloud } from './canary-fixture.js';

const CANARY_IDS = ['canary-stage-variable', 'canary-create', 'canary-promote'];

test('blue-green done again after the promotion: its prepare puts the stage back on the last deploy\'s deployment, calling live, and says so', async () => {
  const dir = await labWorkspace('sol-stage-before-canary-');
  const { cloud, api, deployed, record } = await workspaceCanaryCloud(dir);
  try {
    const apigw = cloud.clients.apiGateway;
    for (const id of CANARY_IDS) await canarySteps.find((s) => s.id === id)!.solve.apply(cloud.contextFor(id));
    const promoted = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }));
    const was = promoted.variables?.lambdaAlias;
    assert.ok(was !== undefined && was !== 'live', `the promotion left the stage off live: ${JSON.stringify(promoted.variables)}`);

    const io = new RecordingIoHost();
    const ctx = fakeContext({ io, clients: cloud.clients, deployment: () => record, stepProgress: (id: string) => ({ status: CANARY_IDS.includes(id) ? 'done' : 'pending', assisted: false, hintsShown: 0 }) });
    await blueGreenStep.prepare!(ctx);

    const stage = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }));
    assert.equal(stage.deploymentId, deployed, io.text);
    assert.equal(stage.canarySettings, undefined);
    assert.deepEqual(stage.variables ?? {}, {});
    const t = await findTarget(apigw, record);
    const integration = await apigw.send(new GetIntegrationCommand({ restApiId: api.restApiId, resourceId: t.route.resourceId, httpMethod: 'POST' }));
    assert.match(integration.uri!, /:live\/invocations$/);
    assert.match(io.text, new RegExp(`put the Prod stage back on deployment ${deployed}, the last deploy's, without the stage variable lambdaAlias`));
    assert.match(io.text, /blue-green starts from the stage as the last deploy made it, calling the alias "live"/);
    assert.match(io.text, /to do them again, quit the lab \(q\), then run `.*reset canary --workspace \S+`, then `.*start (-- )?--workspace \S+`\./);
    assert.doesNotMatch(io.text, /could not put/);

    // done again once more: nothing left to put back, nothing said
    const again = new RecordingIoHost();
    await blueGreenStep.prepare!(fakeContext({ io: again, clients: cloud.clients, deployment: () => record, stepProgress: ctx.stepProgress }));
    assert.equal(again.text, '');
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('before the canary chapter has begun, the prepare of blue-green and of a hooks step reads nothing of the stage', async () => {
  // no clients at all: a read would throw, and be said as a warning
  for (const step of [blueGreenStep, errorsRollbackStep]) {
    const io = new RecordingIoHost();
    const ctx = fakeContext({ io, deployment: () => { throw new Error('read the deploy record'); } });
    await step.prepare!(ctx).catch(() => undefined);
    assert.doesNotMatch(io.text, /stage|could not put/, `${step.id}: ${io.text}`);
  }
});

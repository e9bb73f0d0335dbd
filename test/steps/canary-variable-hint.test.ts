/**
 * Step 6 (canary-stage-variable): a stuck learner's hint names the command the checks wait for,
 * the first of the three not done yet, pasteable (the API's own ids), on a line of its own. The
 * hints said "three commands, in order" and left the learner to find which.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PutIntegrationCommand, UpdateStageCommand, CreateDeploymentCommand } from '@aws-sdk/client-api-gateway';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { stageVariableUri } from '../../src/steps/canary/stage-variable.js';
import type { Hint } from '../../src/lab/step.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

describe('canary-stage-variable: the hint from the cloud names the missing command', () => {
  let cloud: CanaryCloud;
  before(async () => {
    cloud = await startCanaryCloud();
  });
  after(async () => {
    await cloud?.close();
  });

  it('says the update-stage, then the put-integration, then the create-deployment, each as the next one missing', async () => {
    const ctx = cloud.contextFor('canary-stage-variable');
    const step = canarySteps.find((s) => s.id === 'canary-stage-variable')!;
    const fromState = step.hints.filter((h): h is Exclude<Hint, string> => typeof h !== 'string');
    const signal = new AbortController().signal;
    const hint = async () => (await Promise.all(fromState.map((h) => h.fromState(ctx, signal)))).filter(Boolean).join('\n');
    const t = await target(ctx);
    const { restApiId, resourceId } = t.route;
    const end = `--endpoint-url ${cloud.emu.endpoint}`;

    let h = await hint();
    assert.match(h, /the first command sets it to live:/);
    assert.ok(h.includes(`\n$ aws apigateway update-stage --rest-api-id ${restApiId} --stage-name Prod --patch-operations op=replace,path=/variables/lambdaAlias,value=live ${end}`), h);
    await cloud.clients.apiGateway.send(new UpdateStageCommand({ restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: 'live' }] }));

    h = await hint();
    assert.ok(h.includes(`\n$ aws apigateway put-integration --rest-api-id ${restApiId} --resource-id ${resourceId} --http-method POST --type AWS_PROXY --integration-http-method POST --uri '${stageVariableUri(t.region, t.functionArn)}' ${end}`), h);
    await cloud.clients.apiGateway.send(
      new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: stageVariableUri(t.region, t.functionArn) }),
    );

    h = await hint();
    assert.ok(h.includes(`\n$ aws apigateway create-deployment --rest-api-id ${restApiId} --stage-name Prod ${end}`), h);
    await cloud.clients.apiGateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'Prod' }));

    // all three done: nothing from the cloud to add (the checks say what is left)
    assert.equal(await hint(), '');
  });
});

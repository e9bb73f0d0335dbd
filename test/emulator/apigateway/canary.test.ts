/**
 * Stage canaries through the SDK, against the answers AWS recorded (LocalStack's AWS-validated
 * snapshots, tests/aws/services/apigateway/test_apigateway_canary.snapshot.json; the refusal of a
 * non-canary deployment to a canary stage as serverless/serverless#11518 quotes it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { clientConfig } from '../../helpers/emulator.js';
import { startApiGateway, type ApiGatewayFixture } from './fixture.js';

async function rejects(p: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    return true;
  });
}

describe('API Gateway stage canaries answer as AWS does', () => {
  let fx: ApiGatewayFixture;
  let apigw: APIGatewayClient;

  before(async () => {
    fx = await startApiGateway();
    apigw = new APIGatewayClient(clientConfig(fx.emu.endpoint));
  });
  after(async () => {
    apigw.destroy();
    await fx.close();
  });

  async function api(): Promise<string> {
    const created = await apigw.send(new CreateRestApiCommand({ name: 'canary' }));
    const restApiId = created.id!;
    await apigw.send(new PutMethodCommand({ restApiId, resourceId: created.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId, resourceId: created.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    return restApiId;
  }
  const patch = (restApiId: string, stageName: string, patchOperations: PatchOperation[]) =>
    apigw.send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));

  it('a canary deployment on an existing stage keeps the stage on its deployment', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId }));
    await apigw.send(new CreateStageCommand({ restApiId, stageName: 'dev', deploymentId: d1.id, variables: { testVar: 'default' } }));
    const d2 = await apigw.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }),
    );
    const stage = await apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    assert.equal(stage.deploymentId, d1.id);
    assert.deepEqual(stage.variables, { testVar: 'default' });
    assert.deepEqual(stage.canarySettings, { deploymentId: d2.id, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' }, useStageCache: false });
  });

  it('refuses a canary deployment without a stage, or for a stage that does not exist, and creates nothing', async () => {
    const restApiId = await api();
    const canarySettings = { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } };
    await rejects(
      apigw.send(new CreateDeploymentCommand({ restApiId, canarySettings })),
      'BadRequestException',
      'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null',
    );
    await rejects(
      apigw.send(new CreateDeploymentCommand({ restApiId, stageName: '', canarySettings })),
      'BadRequestException',
      'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is ',
    );
    await rejects(
      apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'non-existing', canarySettings })),
      'BadRequestException',
      'Invalid deployment content specified.Stage non-existing must already be created before making a canary release deployment',
    );
    assert.equal(fx.service.backend.getDeployments(restApiId).items.length, 0);
    assert.deepEqual(fx.service.backend.getStages(restApiId), []);
  });

  it('refuses a deployment without canarySettings to a stage whose canary is enabled, and creates nothing', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'v1', variables: { testVar: 'default' } }));
    const d2 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'v1', canarySettings: { percentTraffic: 10, stageVariableOverrides: { testVar: 'canary' } } }));
    const before = await apigw.send(new GetStageCommand({ restApiId, stageName: 'v1' }));
    await rejects(
      apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'v1', variables: { testVar: 'other' } })),
      'BadRequestException',
      'Invalid deployment content specified.Non canary deployment not supported on stage v1 because Canary is enabled. Provide CanarySettings in deploymentInput.',
    );
    assert.deepEqual(
      fx.service.backend.getDeployments(restApiId).items.map((d) => d.id),
      [d1.id, d2.id],
    );
    const { $metadata: _b, ...was } = before;
    const { $metadata: _a, ...now } = await apigw.send(new GetStageCommand({ restApiId, stageName: 'v1' }));
    assert.deepEqual(now, was);

    // once the canary is removed, the same deployment goes to the stage
    await patch(restApiId, 'v1', [{ op: 'remove', path: '/canarySettings' }]);
    const d3 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'v1' }));
    assert.equal((await apigw.send(new GetStageCommand({ restApiId, stageName: 'v1' }))).deploymentId, d3.id);
  });

  it('a canary deployment to a stage that has a canary replaces it; the stage stays on its deployment', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId }));
    await apigw.send(
      new CreateStageCommand({
        restApiId,
        stageName: 'dev1',
        deploymentId: d1.id,
        variables: { testVar: 'default' },
        canarySettings: { deploymentId: d1.id, percentTraffic: 40, stageVariableOverrides: { testVar: 'canary1' } },
      }),
    );
    const d2 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev1', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary2' } } }));
    const stage = await apigw.send(new GetStageCommand({ restApiId, stageName: 'dev1' }));
    assert.equal(stage.deploymentId, d1.id);
    assert.deepEqual(stage.canarySettings, { deploymentId: d2.id, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary2' }, useStageCache: false });
  });

  it('a deployment without a stage, then replace /deploymentId, moves a stage that has a canary and keeps the canary', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { testVar: 'default' } }));
    const d2 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 10, stageVariableOverrides: { testVar: 'canary' } } }));
    const d3 = await apigw.send(new CreateDeploymentCommand({ restApiId }));
    const stage = await patch(restApiId, 'dev', [{ op: 'replace', path: '/deploymentId', value: d3.id }]);
    assert.notEqual(d3.id, d1.id);
    assert.equal(stage.deploymentId, d3.id);
    assert.deepEqual(stage.variables, { testVar: 'default' });
    assert.deepEqual(stage.canarySettings, { deploymentId: d2.id, percentTraffic: 10, stageVariableOverrides: { testVar: 'canary' }, useStageCache: false });
  });

  it('refuses a canary naming a deployment that does not exist (CreateStage, UpdateStage)', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    await rejects(
      apigw.send(new CreateStageCommand({ restApiId, stageName: 'dev3', deploymentId: d1.id, canarySettings: { deploymentId: 'deploy' } })),
      'BadRequestException',
      'Deployment id does not exist',
    );
    await rejects(patch(restApiId, 'dev', [{ op: 'replace', path: '/canarySettings/deploymentId', value: 'deploy' }]), 'BadRequestException', 'Deployment id does not exist');
  });

  it('refuses add on canary paths, removes of canary settings other than the whole or one override, and unknown canary paths', async () => {
    const restApiId = await api();
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }));
    const d3 = await apigw.send(new CreateDeploymentCommand({ restApiId }));
    const before = await apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));

    await rejects(
      patch(restApiId, 'dev', [{ op: 'add', path: '/canarySettings/deploymentId', value: d3.id }]),
      'BadRequestException',
      'Invalid add operation with path: /canarySettings/deploymentId',
    );
    await rejects(
      patch(restApiId, 'dev', [{ op: 'remove', path: '/canarySettings/stageVariableOverrides' }]),
      'BadRequestException',
      'Cannot remove method setting canarySettings/stageVariableOverrides because there is no method setting for this method ',
    );
    await rejects(
      patch(restApiId, 'dev', [{ op: 'remove', path: '/canarySettings/badPath' }]),
      'BadRequestException',
      'Cannot remove method setting canarySettings/badPath because there is no method setting for this method ',
    );
    await rejects(patch(restApiId, 'dev', [{ op: 'replace', path: '/canarySettings', value: 'test' }]), 'BadRequestException', /^Invalid method setting path: \/canarySettings\. Must be one of: \[\/deploymentId, /);
    await rejects(patch(restApiId, 'dev', [{ op: 'replace', path: '/canarySettings/badPath', value: 'x' }]), 'BadRequestException', /^Invalid method setting path: \/canarySettings\/badPath\. Must be one of: .*\/tracingEnabled\]$/);
    await rejects(
      patch(restApiId, 'dev', [{ op: 'wrong' as 'add', path: '/canarySettings/percentTraffic', value: '1' }]),
      'ValidationException',
      "1 validation error detected: Value 'wrong' at 'updateStageInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
    // a refused call changes nothing, even when an earlier operation in it was valid
    await rejects(
      patch(restApiId, 'dev', [
        { op: 'replace', path: '/canarySettings/percentTraffic', value: '5' },
        { op: 'add', path: '/canarySettings/percentTraffic', value: '6' },
      ]),
      'BadRequestException',
      'Invalid add operation with path: /canarySettings/percentTraffic',
    );
    const after = await apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    assert.deepEqual(after.canarySettings, before.canarySettings);
  });

  it('a replace on a stage without a canary creates one on the stage deployment at 0 %, with no overrides key', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { testVar: 'default' } }));
    const d2 = await apigw.send(new CreateDeploymentCommand({ restApiId }));
    let stage = await patch(restApiId, 'dev', [{ op: 'replace', path: '/canarySettings/deploymentId', value: d2.id }]);
    assert.deepEqual(stage.canarySettings, { deploymentId: d2.id, percentTraffic: 0, useStageCache: false });
    stage = await patch(restApiId, 'dev', [{ op: 'remove', path: '/canarySettings' }]);
    assert.equal(stage.canarySettings, undefined);
    assert.equal(stage.deploymentId, d1.id);
    stage = await patch(restApiId, 'dev', [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '50' }]);
    assert.deepEqual(stage.canarySettings, { deploymentId: d1.id, percentTraffic: 50, useStageCache: false });
  });

  it('promotes only by the documented copies, and not without a canary; promotion keeps the canary', async () => {
    const restApiId = await api();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { testVar: 'test', testVar2: 'test2' } }));
    await rejects(
      patch(restApiId, 'dev', [{ op: 'copy', path: '/canarySettings/stageVariableOverrides', from: '/variables' }]),
      'BadRequestException',
      'Invalid copy operation with path: /canarySettings/stageVariableOverrides and from /variables. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]',
    );
    const promote: PatchOperation[] = [
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
    ];
    await rejects(patch(restApiId, 'dev', promote), 'BadRequestException', 'Promotion not available. Canary does not exist.');

    const d2 = await apigw.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'override' } } }),
    );
    const stage = await patch(restApiId, 'dev', [{ op: 'replace', value: '0.0', path: '/canarySettings/percentTraffic' }, ...promote]);
    assert.notEqual(d1.id, d2.id);
    assert.equal(stage.deploymentId, d2.id);
    assert.deepEqual(stage.variables, { testVar: 'override', testVar2: 'test2' });
    assert.deepEqual(stage.canarySettings, { deploymentId: d2.id, percentTraffic: 0, stageVariableOverrides: { testVar: 'override' }, useStageCache: false });
  });

  it('keeps prototype names as plain stage variables and overrides', async () => {
    const restApiId = await api();
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    await patch(restApiId, 'dev', [
      { op: 'replace', path: '/canarySettings/stageVariableOverrides/__proto__', value: 'a' },
      { op: 'replace', path: '/variables/constructor', value: 'b' },
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
    ]);
    // read from the backend: the SDK's own map reader drops a `__proto__` key
    const stage = fx.service.backend.getStage(restApiId, 'dev');
    assert.deepEqual(stage.canarySettings?.stageVariableOverrides, JSON.parse('{"__proto__":"a"}'));
    assert.equal(Object.getPrototypeOf(stage.variables), Object.prototype);
    assert.deepEqual(stage.variables, JSON.parse('{"constructor":"b","__proto__":"a"}'));
  });
});

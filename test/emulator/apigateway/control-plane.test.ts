import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
  DeleteResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { StateStore } from '../../../src/emulator/core/store.js';
import { ApiGatewayBackend } from '../../../src/emulator/services/apigateway/backend.js';
import { clientConfig, scopeOnlyAuthorization } from '../../helpers/emulator.js';
import { lambdaUri, startApiGateway, type ApiGatewayFixture } from './fixture.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:app';

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

describe('API Gateway control plane (SDK against the emulator)', () => {
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

  async function apiWithProxy() {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'lab', binaryMediaTypes: ['image/png'] }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'getinfo' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'POST',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: lambdaUri(`${FN}:live`),
      }),
    );
    return { api, res };
  }

  it('creates, lists (wire key item) and reads REST APIs with 10-character ids and epoch dates', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'first', description: 'd' }));
    assert.match(api.id!, /^[a-z0-9]{10}$/);
    assert.ok(api.createdDate instanceof Date && Math.abs(api.createdDate.getTime() - Date.now()) < 60_000);
    assert.deepEqual(api.endpointConfiguration?.types, ['EDGE']);
    const list = await apigw.send(new GetRestApisCommand({}));
    assert.ok(list.items?.some((a) => a.id === api.id && a.name === 'first'));
    const got = await apigw.send(new GetRestApiCommand({ restApiId: api.id }));
    assert.equal(got.rootResourceId, api.rootResourceId);
  });

  it('answers NotFoundException with AWS texts', async () => {
    await rejects(apigw.send(new GetRestApiCommand({ restApiId: 'nope123456' })), 'NotFoundException', 'Invalid API identifier specified 000000000000:nope123456');
    const { api } = await apiWithProxy();
    await rejects(apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' })), 'NotFoundException', 'Invalid stage identifier specified');
    await rejects(apigw.send(new GetResourceCommand({ restApiId: api.id, resourceId: 'zzzzzzzzzz' })), 'NotFoundException', 'Invalid Resource identifier specified');
  });

  it('builds resources with {param} and {proxy+} path parts, methods and an AWS_PROXY integration', async () => {
    const { api, res } = await apiWithProxy();
    const items = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    const item = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{id}' }));
    const proxy = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    assert.equal(item.path, '/items/{id}');
    assert.equal(proxy.path, '/{proxy+}');
    await rejects(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{other}' })), 'BadRequestException', /only one is allowed/);
    await rejects(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' })), 'ConflictException', /same parent/);
    await rejects(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'a b' })), 'BadRequestException', /path part only allow/);

    const integration = await apigw.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST' }));
    assert.equal(integration.type, 'AWS_PROXY');
    assert.equal(integration.httpMethod, 'POST');
    assert.equal(integration.uri, lambdaUri(`${FN}:live`));
    assert.equal(integration.timeoutInMillis, 29000);
    const method = await apigw.send(new GetMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST' }));
    assert.equal(method.methodIntegration?.type, 'AWS_PROXY');

    const all = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(all.items?.map((r) => r.path).sort(), ['/', '/getinfo', '/items', '/items/{id}', '/{proxy+}']);
    await apigw.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: items.id }));
    const after = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(after.items?.map((r) => r.path).sort(), ['/', '/getinfo', '/{proxy+}']);
  });

  it('GetResources and GetResource name each method with an empty object unless embed=methods asks for it whole', async () => {
    // https://docs.aws.amazon.com/apigateway/latest/api/API_GetResources.html (embed)
    const { api, res } = await apiWithProxy();
    const plain = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(plain.items?.find((r) => r.path === '/getinfo')?.resourceMethods, { POST: {} });
    assert.deepEqual((await apigw.send(new GetResourceCommand({ restApiId: api.id, resourceId: res.id }))).resourceMethods, { POST: {} });

    const embedded = await apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
    const post = embedded.items?.find((r) => r.path === '/getinfo')?.resourceMethods?.POST;
    assert.equal(post?.httpMethod, 'POST');
    assert.equal(post?.authorizationType, 'NONE');
    assert.equal(post?.methodIntegration?.type, 'AWS_PROXY');
    const one = await apigw.send(new GetResourceCommand({ restApiId: api.id, resourceId: res.id, embed: ['methods'] }));
    assert.equal(one.resourceMethods?.POST?.methodIntegration?.uri, lambdaUri(`${FN}:live`));
  });

  it('refuses an AWS_PROXY integration that is not a Lambda URI, and a deployment with a method lacking one', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'bad' }));
    await rejects(apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' })), 'BadRequestException', "The REST API doesn't contain any methods");
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await rejects(
      apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k' })),
      'BadRequestException',
      /AWS_PROXY/,
    );
    await rejects(apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' })), 'BadRequestException', 'No integration defined for method');
  });

  it('deploys to a stage (201), lists deployments and stages, and manages a canary as the guide describes', async () => {
    const { api } = await apiWithProxy();
    const d1 = await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { alias: 'live' } }));
    assert.match(d1.id!, /^[a-z0-9]{10}$/);
    let stage = await apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
    assert.equal(stage.deploymentId, d1.id);
    assert.deepEqual(stage.variables, { alias: 'live' });
    assert.equal(stage.canarySettings, undefined);

    // canary on an existing stage: the stage keeps d1, the canary gets the new deployment
    const d2 = await apigw.send(
      new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', canarySettings: { percentTraffic: 10.5, useStageCache: false, stageVariableOverrides: { alias: 'canary' } } }),
    );
    stage = await apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
    assert.equal(stage.deploymentId, d1.id);
    assert.deepEqual(stage.canarySettings, { percentTraffic: 10.5, deploymentId: d2.id, stageVariableOverrides: { alias: 'canary' }, useStageCache: false });

    stage = await apigw.send(
      new UpdateStageCommand({
        restApiId: api.id,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/canarySettings/percentTraffic', value: '25.0' },
          { op: 'replace', path: '/variables/extra', value: 'x' },
        ],
      }),
    );
    assert.equal(stage.canarySettings?.percentTraffic, 25);
    assert.equal(stage.variables?.extra, 'x');

    // promote: copy the canary deployment and its overrides, traffic to 0 (canary kept)
    stage = await apigw.send(
      new UpdateStageCommand({
        restApiId: api.id,
        stageName: 'prod',
        patchOperations: [
          { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
          { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
          { op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0' },
        ],
      }),
    );
    assert.equal(stage.deploymentId, d2.id);
    assert.equal(stage.variables?.alias, 'canary');
    assert.equal(stage.canarySettings?.percentTraffic, 0);

    stage = await apigw.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'remove', path: '/canarySettings' }] }));
    assert.equal(stage.canarySettings, undefined);

    await rejects(
      apigw.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '150' }] })),
      'BadRequestException',
    );
    await rejects(
      apigw.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/nonsense', value: '1' }] })),
      'BadRequestException',
      /^Invalid method setting path: \/nonsense\. Must be one of: \[/,
    );

    const deployments = await apigw.send(new GetDeploymentsCommand({ restApiId: api.id }));
    assert.deepEqual(deployments.items?.map((d) => d.id).sort(), [d1.id, d2.id].sort());
    const got = await apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d1.id }));
    assert.ok(got.createdDate instanceof Date);

    const dev = await apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId: d1.id }));
    assert.equal(dev.deploymentId, d1.id);
    await rejects(apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId: d1.id })), 'ConflictException', 'Stage already exists');
    const stages = await apigw.send(new GetStagesCommand({ restApiId: api.id }));
    assert.deepEqual(stages.item?.map((s) => s.stageName).sort(), ['dev', 'prod']);
    await apigw.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'dev' }));
    await rejects(apigw.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'dev' })), 'NotFoundException', 'Invalid stage identifier specified');

    await apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
    await rejects(apigw.send(new GetRestApiCommand({ restApiId: api.id })), 'NotFoundException');
  });
});

/** a raw API Gateway request (what the SDK would not send), signed only by its credential scope */
async function raw(endpoint: string, method: string, path: string, body: unknown) {
  const res = await fetch(endpoint + path, {
    method,
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      authorization: scopeOnlyAuthorization('apigateway'),
    },
  });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: (await res.json()) as { message?: string; [member: string]: unknown } };
}

describe('API Gateway input whose members are not of their type', () => {
  let fx: ApiGatewayFixture;
  before(async () => {
    fx = await startApiGateway();
  });
  after(async () => {
    await fx.close();
  });

  it('an object or a list where a string, a number or a map belongs: 400 naming the member, nothing created', async () => {
    // an object whose toString is not a function made String() throw: a 500
    const weird = { toString: 1 };
    const refused: [unknown, string][] = [
      [{ name: weird }, 'Invalid name: expected a string'],
      [{ name: 'a', description: ['a', 'b'] }, 'Invalid description: expected a string'],
      [{ name: 'a', tags: { k: { x: 1 } } }, 'Invalid tags.k: expected a string'],
      [{ name: 'a', tags: 'k=v' }, 'Invalid tags: expected a map'],
      [{ name: 'a', binaryMediaTypes: [weird] }, 'Invalid binaryMediaTypes.1: expected a string'],
      [{ name: 'a', binaryMediaTypes: 'image/png' }, 'Invalid binaryMediaTypes: expected a list of strings'],
      [{ name: 'a', minimumCompressionSize: weird }, 'Invalid minimumCompressionSize: expected an integer'],
      [{ name: 'a', endpointConfiguration: { types: 'REGIONAL' } }, 'Invalid endpointConfiguration.types: expected a list of strings'],
    ];
    for (const [body, message] of refused) {
      const r = await raw(fx.emu.endpoint, 'POST', '/restapis', body);
      assert.deepEqual([r.status, r.type, r.body.message], [400, 'BadRequestException', message], JSON.stringify(body));
    }
    const apis = await raw(fx.emu.endpoint, 'GET', '/restapis', undefined);
    assert.equal(apis.status, 200);
    assert.deepEqual(apis.body.item ?? [], []);

    // a number is taken as its text, as before
    const api = await raw(fx.emu.endpoint, 'POST', '/restapis', { name: 7, endpointConfiguration: { types: ['REGIONAL'] } });
    assert.equal(api.status, 201);
    assert.equal(api.body.name, '7');
    const id = String(api.body.id);
    const root = String(api.body.rootResourceId);
    const method = await raw(fx.emu.endpoint, 'PUT', `/restapis/${id}/resources/${root}/methods/GET`, { authorizationType: 'NONE', requestParameters: 'x' });
    assert.deepEqual([method.status, method.body.message], [400, 'Invalid requestParameters: expected a map']);
    const deployment = await raw(fx.emu.endpoint, 'POST', `/restapis/${id}/deployments`, { stageName: 'prod', canarySettings: { percentTraffic: weird } });
    assert.deepEqual([deployment.status, deployment.body.message], [400, 'Invalid canarySettings.percentTraffic: expected a number']);
  });
});

describe("UpdateStage's patch operations as they come on the wire", () => {
  let fx: ApiGatewayFixture;
  let apigw: APIGatewayClient;
  let restApiId: string;

  before(async () => {
    fx = await startApiGateway();
    apigw = new APIGatewayClient(clientConfig(fx.emu.endpoint));
    const api = await apigw.send(new CreateRestApiCommand({ name: 'patch' }));
    restApiId = api.id!;
    await apigw.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', variables: { kept: 'yes' } }));
  });
  after(async () => {
    apigw.destroy();
    await fx.close();
  });

  /** a raw UpdateStage (the SDK would drop a null element) */
  const patch = (body: unknown) => raw(fx.emu.endpoint, 'PATCH', `/restapis/${restApiId}/stages/prod`, body);

  it('refuses what is not a list of objects of strings with a 400, and changes nothing', async () => {
    const refused: [unknown, RegExp][] = [
      [{ patchOperations: [null] }, /^Invalid patch operation at patchOperations\.1: expected an object/],
      [{ patchOperations: [{ op: 'replace', path: '/variables/a', value: 'x' }, 7] }, /^Invalid patch operation at patchOperations\.2:/],
      [{ patchOperations: [{ op: 'replace', path: '/variables/o', value: { a: 1 } }] }, /^Invalid patchOperations\.1\.value: expected a string$/],
      [{ patchOperations: [{ op: 'replace', path: ['/variables/o'], value: 'x' }] }, /^Invalid patchOperations\.1\.path: expected a string$/],
      [{ patchOperations: 'replace' }, /^Invalid patchOperations: expected a list/],
      [{ patchOperations: { op: 'replace', path: '/variables/a', value: 'x' } }, /^Invalid patchOperations: expected a list/],
    ];
    for (const [body, message] of refused) {
      const r = await patch(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.type, 'BadRequestException', JSON.stringify(body));
      assert.match(r.body.message ?? '', message);
    }
    // a path that is a number is a path UpdateStage does not know (not a crash)
    const numeric = await patch({ patchOperations: [{ op: 'replace', path: 5, value: 'x' }] });
    assert.equal(numeric.status, 400);
    assert.match(numeric.body.message ?? '', /^Invalid method setting path: 5\. Must be one of/);
    const stage = await apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    assert.deepEqual(stage.variables, { kept: 'yes' });
  });

  it('takes a number or a boolean as its text, so a stage variable is always a string', async () => {
    const r = await patch({
      patchOperations: [
        { op: 'replace', path: '/variables/n', value: 5 },
        { op: 'replace', path: '/variables/b', value: false },
      ],
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.variables, { kept: 'yes', n: '5', b: 'false' });
  });
});

describe('API Gateway state', () => {
  it('persists through the state store and a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sol-apigw-'));
    try {
      const clock = new ManualClock();
      const a = new ApiGatewayBackend({ accountId: '000000000000', region: 'us-east-1', clock, store: new StateStore(dir) });
      const api = a.createRestApi({ name: 'kept' });
      a.putMethod(api.id, api.rootResourceId, 'GET', { authorizationType: 'NONE' });
      a.putIntegration(api.id, api.rootResourceId, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('app') });
      const d = a.createDeployment(api.id, { stageName: 'prod' });
      assert.equal(api.createdDate, Math.floor(clock.now() / 1000));

      const b = new ApiGatewayBackend({ accountId: '000000000000', region: 'us-east-1', clock, store: new StateStore(dir) });
      assert.equal(b.getStage(api.id, 'prod').deploymentId, d.id);
      assert.equal(b.getDeployment(api.id, d.id).snapshot.resources.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * GetExport: a stage's deployed API, read from the deployment the stage serves, not the draft
 * (what a client reads to tell whether an integration change has been deployed yet).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetExportCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { clientConfig } from '../../helpers/emulator.js';
import { lambdaUri, startApiGateway, type ApiGatewayFixture } from './fixture.js';

describe('API Gateway GetExport', () => {
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

  const exported = async (restApiId: string, exportType: string, extensions?: string) => {
    const out = await apigw.send(new GetExportCommand({ restApiId, stageName: 'Prod', exportType, accepts: 'application/json', ...(extensions ? { parameters: { extensions } } : {}) }));
    assert.equal(out.contentType, 'application/json');
    return JSON.parse(Buffer.from(out.body!).toString('utf8'));
  };

  it('exports the integration of the deployment the stage serves: a put-integration shows only after a new deployment', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'export' }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'getinfo' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    const put = (uri: string) => apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }));
    const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
    await put(lambdaUri(`${fnArn}:live`));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'Prod' }));
    await put(lambdaUri(`${fnArn}:\${stageVariables.lambdaAlias}`));

    const before = await exported(api.id!, 'oas30', 'integrations');
    assert.equal(before.openapi, '3.0.1');
    assert.equal(before.paths['/getinfo'].post['x-amazon-apigateway-integration'].uri, lambdaUri(`${fnArn}:live`));
    assert.equal(before.paths['/getinfo'].post['x-amazon-apigateway-integration'].type, 'aws_proxy');

    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'Prod' }));
    const after = await exported(api.id!, 'swagger', 'integrations');
    assert.equal(after.swagger, '2.0');
    assert.equal(after.basePath, '/Prod');
    assert.equal(after.paths['/getinfo'].post['x-amazon-apigateway-integration'].uri, lambdaUri(`${fnArn}:\${stageVariables.lambdaAlias}`));

    // without the extension, the methods alone
    const plain = await exported(api.id!, 'oas30');
    assert.equal(plain.paths['/getinfo'].post['x-amazon-apigateway-integration'], undefined);
  });

  it('refuses an export type it does not know, and a stage that does not exist', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'export-bad' }));
    await assert.rejects(apigw.send(new GetExportCommand({ restApiId: api.id, stageName: 'Prod', exportType: 'postman' })), (err: any) => err.name === 'BadRequestException' && /Invalid export type/.test(err.message));
    await assert.rejects(apigw.send(new GetExportCommand({ restApiId: api.id, stageName: 'Nope', exportType: 'oas30' })), (err: any) => err.name === 'NotFoundException');
  });
});

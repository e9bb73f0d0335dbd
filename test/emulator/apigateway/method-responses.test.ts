/**
 * PutMethodResponse / PutIntegrationResponse and their Get/Delete through the SDK, against the
 * answers AWS recorded (LocalStack's AWS-validated snapshots, test_apigateway_api) and the aws
 * CLI's own ConflictException text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodResponseCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { clientConfig } from '../../helpers/emulator.js';
import { startApiGateway, type ApiGatewayFixture } from './fixture.js';

async function rejects(p: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    assert.equal(err.message, message);
    assert.equal(err.$metadata?.httpStatusCode, status);
    return true;
  });
}

describe('API Gateway method and integration responses', () => {
  let fx: ApiGatewayFixture;
  let apigw: APIGatewayClient;
  let restApiId: string;
  let resourceId: string;

  before(async () => {
    fx = await startApiGateway();
    apigw = new APIGatewayClient(clientConfig(fx.emu.endpoint));
    const api = await apigw.send(new CreateRestApiCommand({ name: 'responses' }));
    restApiId = api.id!;
    resourceId = api.rootResourceId!;
    await apigw.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  });
  after(async () => {
    apigw.destroy();
    await fx.close();
  });

  it('puts (201), reads, lists on the method, refuses a second put (409) and deletes (204) a method response', async () => {
    const put = await apigw.send(
      new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseModels: { 'application/json': 'Empty' }, responseParameters: { 'method.response.header.my-header': true } }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual({ ...put, $metadata: undefined }, { $metadata: undefined, statusCode: '200', responseModels: { 'application/json': 'Empty' }, responseParameters: { 'method.response.header.my-header': true } });
    const got = await apigw.send(new GetMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    assert.equal(got.statusCode, '200');
    const method = await apigw.send(new GetMethodCommand({ restApiId, resourceId, httpMethod: 'GET' }));
    assert.deepEqual(Object.keys(method.methodResponses ?? {}), ['200']);

    await rejects(
      apigw.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' })),
      'ConflictException',
      'Response already exists for this resource',
      409,
    );
    const del = await apigw.send(new DeleteMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await rejects(
      apigw.send(new GetMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' })),
      'NotFoundException',
      'Invalid Response status code specified',
      404,
    );
  });

  it('answers AWS errors for a bad status code, a missing API, resource, method or integration', async () => {
    await rejects(
      apigw.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: 'wrong' })),
      'ValidationException',
      "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
      400,
    );
    await rejects(apigw.send(new PutIntegrationResponseCommand({ restApiId: 'wrong-api', resourceId: 'dummy', httpMethod: 'GET', statusCode: '200' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejects(apigw.send(new PutIntegrationResponseCommand({ restApiId, resourceId: 'wrong-resource', httpMethod: 'GET', statusCode: '200' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
    await rejects(apigw.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'PATCH', statusCode: '200' })), 'NotFoundException', 'Invalid Method identifier specified', 404);
    await rejects(apigw.send(new GetIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await rejects(apigw.send(new DeleteIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'PATCH', statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await rejects(apigw.send(new PutMethodResponseCommand({ restApiId, resourceId: 'constructor', httpMethod: 'GET', statusCode: '200' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
  });

  it('puts an integration response without a method response, overwrites it (201), keeps it on the integration and in deployments', async () => {
    await apigw.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    const put = await apigw.send(
      new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual([put.statusCode, put.selectionPattern, put.responseTemplates], ['200', '', { 'application/json': '"created"' }]);
    const again = await apigw.send(
      new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', selectionPattern: 'overwrite-pattern', responseTemplates: { 'application/json': '' } }),
    );
    assert.equal(again.$metadata.httpStatusCode, 201);
    assert.equal(again.selectionPattern, 'overwrite-pattern');
    assert.deepEqual(again.responseTemplates, { 'application/json': null });
    const integration = await apigw.send(new GetIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET' }));
    assert.equal(integration.integrationResponses?.['200']?.selectionPattern, 'overwrite-pattern');

    const dep = await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    const frozen = fx.service.backend.getDeployment(restApiId, dep.id!).snapshot.resources[0].resourceMethods.GET;
    assert.equal(frozen.methodIntegration?.integrationResponses?.['200']?.selectionPattern, 'overwrite-pattern');

    const del = await apigw.send(new DeleteIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await rejects(apigw.send(new GetIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' })), 'NotFoundException', 'Invalid Response status code specified', 404);
  });
});

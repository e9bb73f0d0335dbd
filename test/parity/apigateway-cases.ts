/**
 * API Gateway (REST v1, outside canaries): our answers beside AWS's, as LocalStack's AWS-validated
 * snapshots recorded them (tests/aws/services/apigateway/test_apigateway_api.snapshot.json,
 * test_apigateway_common.snapshot.json, test_apigateway_integrations.snapshot.json; the inputs are
 * those of the matching tests).
 */
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteMethodCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import type { ParityCase } from './case.js';

const API = 'tests/aws/services/apigateway/test_apigateway_api.snapshot.json';
const COMMON = 'tests/aws/services/apigateway/test_apigateway_common.snapshot.json';
const INTEGRATIONS = 'tests/aws/services/apigateway/test_apigateway_integrations.snapshot.json';
const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:parity-backend/invocations';

const REST_API_KEYS = ['apiKeySource', 'createdDate', 'description', 'disableExecuteApiEndpoint', 'endpointConfiguration', 'id', 'name', 'rootResourceId'];
const RESOURCE_KEYS = ['id', 'parentId', 'path', 'pathPart'];
const METHOD_KEYS = ['apiKeyRequired', 'authorizationType', 'httpMethod'];
const STAGE_KEYS = ['cacheClusterEnabled', 'cacheClusterStatus', 'createdDate', 'deploymentId', 'description', 'lastUpdatedDate', 'methodSettings', 'stageName', 'tracingEnabled'];
const notFound = (message: string) => ({ status: 404, code: 'NotFoundException', message });
const badRequest = (message: string) => ({ status: 400, code: 'BadRequestException', message });

let serial = 0;

async function restApi(apigw: APIGatewayClient) {
  const api = await apigw.send(new CreateRestApiCommand({ name: `parity-api-${++serial}`, description: 'this is my api' }));
  return { apiId: api.id!, rootId: api.rootResourceId! };
}

/** an API with GET / integrated with a Lambda function, so it can be deployed */
async function deployableApi(apigw: APIGatewayClient) {
  const { apiId, rootId } = await restApi(apigw);
  await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await apigw.send(
    new PutIntegrationCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: LAMBDA_URI }),
  );
  return { apiId, rootId };
}

export const apiGatewayCases: ParityCase[] = [
  // ---- REST APIs (TestApiGatewayApiRestApi) ----
  {
    name: 'CreateRestApi: a name and a description',
    source: `${API} TestApiGatewayApiRestApi::test_list_and_delete_apis create-rest-api-1`,
    call: ({ apigw }) => apigw.send(new CreateRestApiCommand({ name: `parity-api-${++serial}`, description: 'this is my api' })),
    expect: {
      status: 201,
      keys: REST_API_KEYS,
      values: { apiKeySource: 'HEADER', disableExecuteApiEndpoint: false, endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' } },
    },
  },
  {
    name: 'CreateRestApi: an empty description',
    source: `${API} TestApiGatewayApiRestApi::test_create_rest_api_with_optional_params create-empty-desc`,
    call: ({ apigw }) => apigw.send(new CreateRestApiCommand({ name: `parity-api-${++serial}`, description: '' })),
    expect: badRequest('Description cannot be an empty string'),
  },
  {
    name: 'GetRestApi: an API that does not exist',
    source: `${API} TestApiGatewayApiRestApi::test_update_rest_api_invalid_api_id not-found-update-rest-api`,
    call: ({ apigw }) => apigw.send(new GetRestApiCommand({ restApiId: 'api_id' })),
    expect: notFound('Invalid API identifier specified 000000000000:api_id'),
  },
  {
    name: 'GetRestApis: the APIs',
    source: `${API} TestApiGatewayApiRestApi::test_list_and_delete_apis get-rest-api-before-delete`,
    call: ({ apigw }) => apigw.send(new GetRestApisCommand({})),
    expect: { status: 200, keys: ['items'] },
  },
  {
    name: 'DeleteRestApi: the API',
    source: `${API} TestApiGatewayApiRestApi::test_list_and_delete_apis delete-rest-api`,
    call: async ({ apigw }) => apigw.send(new DeleteRestApiCommand({ restApiId: (await restApi(apigw)).apiId })),
    expect: { status: 202, keys: [] },
  },

  // ---- resources (TestApiGatewayApiResource) ----
  {
    name: 'GetResources: the root alone',
    source: `${API} TestApiGatewayApiResource::test_resource_lifecycle rest-api-root-resource`,
    call: async ({ apigw }) => apigw.send(new GetResourcesCommand({ restApiId: (await restApi(apigw)).apiId })),
    expect: { status: 200, keys: ['items'], check: (o) => (JSON.stringify(o.items.map((i: { path: string }) => i.path)) === '["/"]' ? undefined : `items ${JSON.stringify(o.items)}`) },
  },
  {
    name: 'CreateResource: /pets',
    source: `${API} TestApiGatewayApiResource::test_resource_lifecycle create-resource`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      return apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }));
    },
    expect: { status: 201, keys: RESOURCE_KEYS, values: { path: '/pets', pathPart: 'pets' } },
  },
  {
    name: 'CreateResource: a parent that does not exist',
    source: `${API} TestApiGatewayApiResource::test_create_resource_parent_invalid wrong-resource-parent-id`,
    call: async ({ apigw }) => apigw.send(new CreateResourceCommand({ restApiId: (await restApi(apigw)).apiId, parentId: 'fake-resource-id', pathPart: 'pets' })),
    expect: notFound('Invalid Resource identifier specified'),
  },
  {
    name: 'CreateResource: a name its parent already has',
    source: `${API} TestApiGatewayApiResource::test_update_resource_behaviour existing-future-sibling-path`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }));
      return apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }));
    },
    expect: { status: 409, code: 'ConflictException', message: 'Another resource with the same parent already has this name: pets' },
  },
  {
    name: 'CreateResource: a variable sibling of {proxy+}',
    source: `${API} TestApiGatewayApiResource::test_create_proxy_resource_validation create-proxy-dynamic-sibling-resource`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{proxy+}' }));
      return apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{dynamic}' }));
    },
    expect: badRequest('A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed'),
  },
  ...['child', '{child}'].map(
    (pathPart): ParityCase => ({
      name: `CreateResource: ${pathPart} under {proxy+}`,
      source: `${API} TestApiGatewayApiResource::test_create_proxy_resource_validation create-proxy-${pathPart === 'child' ? 'static' : 'dynamic'}-child-resource`,
      call: async ({ apigw }) => {
        const { apiId, rootId } = await restApi(apigw);
        const proxy = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{proxy+}' }));
        return apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: proxy.id, pathPart }));
      },
      expect: badRequest('Cannot create a child of a resource with a greedy path variable: {proxy+}'),
    }),
  ),
  {
    name: 'DeleteResource: /pets',
    source: `${API} TestApiGatewayApiResource::test_resource_lifecycle del-resource`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      const pets = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }));
      return apigw.send(new DeleteResourceCommand({ restApiId: apiId, resourceId: pets.id }));
    },
    expect: { status: 202, keys: [] },
  },
  {
    name: 'DeleteResource: a child of a resource already deleted',
    source: `${API} TestApiGatewayApiResource::test_delete_resource delete-subresource`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      const pets = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }));
      const sub = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: pets.id, pathPart: 'subpets' }));
      await apigw.send(new DeleteResourceCommand({ restApiId: apiId, resourceId: pets.id }));
      return apigw.send(new DeleteResourceCommand({ restApiId: apiId, resourceId: sub.id }));
    },
    expect: notFound('Invalid Resource identifier specified'),
  },

  // ---- methods (TestApiGatewayApiMethod) ----
  {
    name: 'PutMethod: GET, no authorization',
    source: `${API} TestApiGatewayApiMethod::test_method_lifecycle put-base-method-response`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      return apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE' }));
    },
    expect: { status: 201, keys: METHOD_KEYS, values: { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' } },
  },
  {
    name: 'GetMethod: the method',
    source: `${API} TestApiGatewayApiMethod::test_method_lifecycle get-base-method-response`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE' }));
      return apigw.send(new GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'ANY' }));
    },
    expect: { status: 200, keys: METHOD_KEYS },
  },
  ...(['GetMethod', 'DeleteMethod'] as const).map(
    (op): ParityCase => ({
      name: `${op}: a method already deleted`,
      source: `${API} TestApiGatewayApiMethod::test_method_lifecycle ${op === 'GetMethod' ? 'get' : 'delete'}-deleted-method-response`,
      call: async ({ apigw }) => {
        const { apiId, rootId } = await restApi(apigw);
        await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE' }));
        await apigw.send(new DeleteMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'ANY' }));
        const input = { restApiId: apiId, resourceId: rootId, httpMethod: 'ANY' };
        return op === 'GetMethod' ? apigw.send(new GetMethodCommand(input)) : apigw.send(new DeleteMethodCommand(input));
      },
      expect: notFound('Invalid Method identifier specified'),
    }),
  ),
  {
    name: 'PutMethod: an API that does not exist',
    source: `${API} TestApiGatewayApiMethod::test_put_method_validation wrong-api`,
    call: async ({ apigw }) => {
      const { rootId } = await restApi(apigw);
      return apigw.send(new PutMethodCommand({ restApiId: 'fake-api', resourceId: rootId, httpMethod: 'WRONG', authorizationType: 'NONE' }));
    },
    expect: notFound('Invalid Resource identifier specified'),
  },
  {
    name: 'PutMethod: a resource that does not exist',
    source: `${API} TestApiGatewayApiMethod::test_put_method_validation wrong-resource`,
    call: async ({ apigw }) => {
      const { apiId } = await restApi(apigw);
      return apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: 'fake-resource-id', httpMethod: 'WRONG', authorizationType: 'NONE' }));
    },
    expect: notFound('Invalid Resource identifier specified'),
  },
  {
    name: 'PutMethod: a method that HTTP does not have',
    source: `${API} TestApiGatewayApiMethod::test_put_method_validation wrong-method`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      return apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'WRONG', authorizationType: 'NONE' }));
    },
    expect: badRequest('Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY'),
  },

  // ---- integrations (TestApigatewayIntegration) ----
  {
    name: 'PutIntegration: AWS_PROXY to a Lambda function',
    source: `${INTEGRATIONS} aws-integration-type-AWS_PROXY`,
    call: async ({ apigw }) => {
      const { apiId, rootId } = await restApi(apigw);
      await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
      return apigw.send(
        new PutIntegrationCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: LAMBDA_URI }),
      );
    },
    expect: {
      status: 201,
      keys: ['cacheKeyParameters', 'cacheNamespace', 'httpMethod', 'passthroughBehavior', 'timeoutInMillis', 'type', 'uri'],
      values: { httpMethod: 'POST', passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, type: 'AWS_PROXY', cacheKeyParameters: [] },
    },
  },
  ...(
    [
      ['an API that does not exist', 'get-integration-no-api', 'Invalid Resource identifier specified'],
      ['a resource that does not exist', 'get-integration-no-resource', 'Invalid Resource identifier specified'],
      ['a method that does not exist', 'get-integration-no-method', 'Invalid Method identifier specified'],
      ['a method without one', 'get-integration-no-integration', 'Invalid Integration identifier specified'],
    ] as const
  ).map(
    ([what, snap, message], i): ParityCase => ({
      name: `GetIntegration: ${what}`,
      source: `${API} TestApigatewayIntegration::test_get_integration_non_existent ${snap}`,
      call: async ({ apigw }) => {
        const { apiId, rootId } = await restApi(apigw);
        if (i === 3) await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
        return apigw.send(
          new GetIntegrationCommand({ restApiId: i === 0 ? 'fake-api' : apiId, resourceId: i === 1 ? 'fake-resource' : rootId, httpMethod: 'GET' }),
        );
      },
      expect: notFound(message),
    }),
  ),

  // ---- deployments and stages (TestApiGatewayStage, TestDeployments, TestStages) ----
  {
    name: 'CreateDeployment: a deployment without a stage',
    source: `${API} TestApiGatewayStage::test_stage_access_log_settings create-deployment`,
    call: async ({ apigw }) => apigw.send(new CreateDeploymentCommand({ restApiId: (await deployableApi(apigw)).apiId })),
    expect: { status: 201, keys: ['createdDate', 'id'] },
  },
  {
    name: 'GetDeployment: the deployment',
    source: `${COMMON} TestDeployments::test_create_delete_deployments[True] get-deployment`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      const d = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId }));
      return apigw.send(new GetDeploymentCommand({ restApiId: apiId, deploymentId: d.id }));
    },
    expect: { status: 200, keys: ['createdDate', 'id'] },
  },
  {
    name: 'DeleteDeployment: one a stage points to',
    source: `${COMMON} TestDeployments::test_create_delete_deployments[True] delete-deployment-error-0`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      const d = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
      return apigw.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: d.id }));
    },
    expect: badRequest('Active stages pointing to this deployment must be moved or deleted'),
  },
  {
    name: 'CreateStage: a stage with a description',
    source: `${API} TestApiGatewayStage::test_stage_access_log_settings create-stage`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      const d = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId }));
      return apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'dev', deploymentId: d.id, description: 'dev stage' }));
    },
    expect: {
      status: 201,
      keys: STAGE_KEYS,
      values: { cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE', methodSettings: {}, tracingEnabled: false },
    },
  },
  {
    name: 'GetStages: the stages',
    source: `${API} TestApiGatewayStage::test_get_stages_filters_by_deployment_id all-stages`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'stage1' }));
      return apigw.send(new GetStagesCommand({ restApiId: apiId }));
    },
    expect: {
      status: 200,
      keys: ['item'],
      check: (o) => {
        const keys = Object.keys(o.item[0]).sort().join(',');
        const aws = STAGE_KEYS.filter((k) => k !== 'description').sort().join(',');
        return keys === aws ? undefined : `item members ${keys}`;
      },
    },
  },
  {
    name: 'UpdateStage: set a stage variable',
    source: `${COMMON} TestStages::test_create_update_stages update-stage`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      const d = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId }));
      await apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 's1', deploymentId: d.id, description: 'my stage' }));
      return apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 's1', patchOperations: [{ op: 'replace', path: '/variables/var1', value: 'test' }] }));
    },
    expect: { status: 200, keys: [...STAGE_KEYS, 'variables'], values: { variables: { var1: 'test' } } },
  },
  {
    name: 'GetStage: the stage, with its variables',
    source: `${COMMON} TestStages::test_create_update_stages get-stage`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      const d = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId }));
      await apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 's1', deploymentId: d.id, description: 'my stage', variables: { var1: 'test' } }));
      return apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 's1' }));
    },
    expect: { status: 200, keys: [...STAGE_KEYS, 'variables'] },
  },
  {
    name: 'DeleteStage: the stage',
    source: `${COMMON} TestDeployments::test_create_delete_deployments[True] (delete_stage, then delete_deployment succeeds)`,
    call: async ({ apigw }) => {
      const { apiId } = await deployableApi(apigw);
      await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
      return apigw.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'dev' }));
    },
    expect: { status: 202, keys: [] },
  },
];

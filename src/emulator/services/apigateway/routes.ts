/**
 * API Gateway (v1) operations on the wire: method, path and success status as the SDK model
 * (@aws-sdk/client-api-gateway schemas) declares them; paginated lists take `position`/`limit`.
 * The integration routes name their verb label `requestHttpMethod` (the model's jsonName for it),
 * because the body's `httpMethod` is the integration's own method.
 */
import { operationsOf, type HttpBinding, type Operation } from '../../core/service.js';
import type { ApiGatewayHandlers } from './handlers.js';

const API = '/restapis/{restApiId}';
const RES = `${API}/resources/{resourceId}`;
const PAGE = { position: 'position', limit: 'limit' };

export const routes: Record<keyof ApiGatewayHandlers, HttpBinding> = {
  CreateRestApi: { method: 'POST', path: '/restapis', status: 201 },
  GetRestApi: { method: 'GET', path: API },
  GetRestApis: { method: 'GET', path: '/restapis', query: PAGE },
  DeleteRestApi: { method: 'DELETE', path: API, status: 202 },

  GetResources: { method: 'GET', path: `${API}/resources`, query: { ...PAGE, embed: 'embed' } },
  GetResource: { method: 'GET', path: RES, query: { embed: 'embed' } },
  CreateResource: { method: 'POST', path: `${API}/resources/{parentId}`, status: 201 },
  DeleteResource: { method: 'DELETE', path: RES, status: 202 },

  PutMethod: { method: 'PUT', path: `${RES}/methods/{httpMethod}`, status: 201 },
  GetMethod: { method: 'GET', path: `${RES}/methods/{httpMethod}` },
  DeleteMethod: { method: 'DELETE', path: `${RES}/methods/{httpMethod}`, status: 204 },

  PutIntegration: { method: 'PUT', path: `${RES}/methods/{requestHttpMethod}/integration`, status: 201 },
  GetIntegration: { method: 'GET', path: `${RES}/methods/{requestHttpMethod}/integration` },
  DeleteIntegration: { method: 'DELETE', path: `${RES}/methods/{requestHttpMethod}/integration`, status: 204 },

  PutMethodResponse: { method: 'PUT', path: `${RES}/methods/{httpMethod}/responses/{statusCode}`, status: 201 },
  GetMethodResponse: { method: 'GET', path: `${RES}/methods/{httpMethod}/responses/{statusCode}` },
  DeleteMethodResponse: { method: 'DELETE', path: `${RES}/methods/{httpMethod}/responses/{statusCode}`, status: 204 },
  PutIntegrationResponse: { method: 'PUT', path: `${RES}/methods/{httpMethod}/integration/responses/{statusCode}`, status: 201 },
  GetIntegrationResponse: { method: 'GET', path: `${RES}/methods/{httpMethod}/integration/responses/{statusCode}` },
  DeleteIntegrationResponse: { method: 'DELETE', path: `${RES}/methods/{httpMethod}/integration/responses/{statusCode}`, status: 204 },

  CreateDeployment: { method: 'POST', path: `${API}/deployments`, status: 201 },
  GetDeployment: { method: 'GET', path: `${API}/deployments/{deploymentId}`, query: { embed: 'embed' } },
  GetDeployments: { method: 'GET', path: `${API}/deployments`, query: PAGE },
  DeleteDeployment: { method: 'DELETE', path: `${API}/deployments/{deploymentId}`, status: 202 },

  CreateStage: { method: 'POST', path: `${API}/stages`, status: 201 },
  GetStage: { method: 'GET', path: `${API}/stages/{stageName}` },
  GetExport: {
    method: 'GET',
    path: `${API}/stages/{stageName}/exports/{exportType}`,
    query: { extensions: 'extensions' },
    headers: { accept: 'accepts' },
    responsePayload: 'body',
    responseHeaders: { contentType: 'Content-Type', contentDisposition: 'Content-Disposition' },
  },
  GetStages: { method: 'GET', path: `${API}/stages`, query: { deploymentId: 'deploymentId' } },
  UpdateStage: { method: 'PATCH', path: `${API}/stages/{stageName}` },
  DeleteStage: { method: 'DELETE', path: `${API}/stages/{stageName}`, status: 202 },
};

export function operations(handlers: ApiGatewayHandlers): Operation[] {
  return operationsOf<keyof ApiGatewayHandlers>(handlers, routes);
}

/**
 * API Gateway REST API (v1) control plane: rest APIs, resources, methods, integrations,
 * deployments and stages, named after the AWS operations. Never sees HTTP.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html
 *
 * Known limits (on purpose): no authorizers, models, validators, API keys, usage plans, gateway
 * responses, custom domains or documentation parts; method and integration responses are stored
 * (method-responses.ts) but their mappings are not applied. Tags are stored, not enforced.
 *
 * As in AWS, a deployment freezes the API's resources, methods and integrations: a stage serves
 * the deployment it points at, not the current draft ("Deploy a REST API in API Gateway").
 */
import type { Clock } from '../../core/clock.js';
import { StateDocument, type StateStore } from '../../core/store.js';
import { assignOwn, copyTable, deleteOwn, getOwn, hasOwnKey, setOwn } from '../../core/own-key.js';
import {
  apiNotFound,
  badRequest,
  conflict,
  deploymentNotFound,
  integrationNotFound,
  methodNotFound,
  resourceNotFound,
  stageNotFound,
} from './errors.js';
import { canaryDeploymentMissing, canaryFrom, checkCanaryDeploymentStage, checkNonCanaryDeploymentStage, type CanarySettingsInput } from './canary.js';
import { newId } from './ids.js';
import * as responses from './method-responses.js';
import type {
  ApiGatewayState,
  DeploymentRecord,
  IntegrationRecord,
  IntegrationResponseRecord,
  MethodRecord,
  MethodResponseRecord,
  ResourceRecord,
  RestApiRecord,
  StageRecord,
} from './model.js';
import { applyStagePatch, type PatchOperation } from './patch.js';
import { exportStage, type ExportType } from './export.js';
import { parseLambdaUri } from './integration-uri.js';
import { INTEGRATION_TIMEOUT_MS } from './responses.js';

const STATE_KEY = 'apigateway';
/** in the order API Gateway lists them when it refuses another (test_put_method_validation wrong-method) */
export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
const INTEGRATION_TYPES = ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY', 'MOCK'];
/** "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace." */
const PATH_PART = /^(?:[a-zA-Z0-9._-]+|\{[a-zA-Z0-9._-]+\+?\})$/;
const STAGE_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

export interface ApiGatewayBackendOptions {
  accountId: string;
  region: string;
  clock: Clock;
  store?: StateStore;
}

export interface CreateRestApiInput {
  name: string;
  description?: string;
  version?: string;
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource?: string;
  endpointConfiguration?: { types?: string[] };
  disableExecuteApiEndpoint?: boolean;
  tags?: Record<string, string>;
}

export interface PutMethodInput {
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired?: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  requestValidatorId?: string;
  authorizationScopes?: string[];
}

export interface PutIntegrationInput {
  type: string;
  integrationHttpMethod?: string;
  uri?: string;
  connectionType?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: string;
  contentHandling?: string;
  timeoutInMillis?: number;
  cacheNamespace?: string;
  cacheKeyParameters?: string[];
}

export type { CanarySettingsInput } from './canary.js';
export type { PutIntegrationResponseInput, PutMethodResponseInput } from './method-responses.js';

export interface CreateDeploymentInput {
  stageName?: string;
  stageDescription?: string;
  description?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  variables?: Record<string, string>;
  canarySettings?: CanarySettingsInput;
  tracingEnabled?: boolean;
}

export interface CreateStageInput {
  stageName: string;
  deploymentId: string;
  description?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  variables?: Record<string, string>;
  canarySettings?: CanarySettingsInput;
  tracingEnabled?: boolean;
  tags?: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  position?: string;
}

export class ApiGatewayBackend {
  /** persisted when there is a store (always, when wired); a change that cannot be stored is undone */
  private readonly document: StateDocument<ApiGatewayState> | undefined;
  private readonly unstored: ApiGatewayState | undefined;

  constructor(private readonly opts: ApiGatewayBackendOptions) {
    const codec = {
      load: (saved: unknown): ApiGatewayState =>
        (saved as ApiGatewayState | undefined)?.version === 1 ? (saved as ApiGatewayState) : { version: 1, apis: {} },
      save: (state: ApiGatewayState) => state,
    };
    this.document = opts.store ? new StateDocument(opts.store, STATE_KEY, codec) : undefined;
    this.unstored = opts.store ? undefined : codec.load(undefined);
  }

  private get state(): ApiGatewayState {
    return this.document?.value ?? this.unstored!;
  }

  get accountId(): string {
    return this.opts.accountId;
  }

  get region(): string {
    return this.opts.region;
  }

  // ---- rest APIs ----

  createRestApi(input: CreateRestApiInput): RestApiRecord {
    if (!input.name) throw badRequest('Invalid REST API name specified');
    // AWS's answers as LocalStack's AWS-validated snapshots recorded them (test_apigateway_api.snapshot.json)
    if (input.description === '') throw badRequest('Description cannot be an empty string');
    const root: ResourceRecord = { id: newId(), path: '/', resourceMethods: {} };
    const api: RestApiRecord = {
      id: this.freshId((id) => hasOwnKey(this.state.apis, id)),
      name: input.name,
      description: input.description,
      version: input.version,
      createdDate: this.nowSeconds(),
      binaryMediaTypes: input.binaryMediaTypes ?? [],
      minimumCompressionSize: input.minimumCompressionSize,
      apiKeySource: input.apiKeySource ?? 'HEADER',
      endpointConfiguration: { types: input.endpointConfiguration?.types ?? ['EDGE'], ipAddressType: 'ipv4' },
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      rootResourceId: root.id,
      tags: input.tags ?? {},
      resources: assignOwn({}, { [root.id]: root }),
      deployments: {},
      stages: {},
    };
    setOwn(this.state.apis, api.id, api);
    this.save();
    return api;
  }

  getRestApi(restApiId: string): RestApiRecord {
    const api = getOwn(this.state.apis, restApiId);
    if (!api) throw apiNotFound(this.opts.accountId, restApiId);
    return api;
  }

  getRestApis(position?: string, limit?: number): Page<RestApiRecord> {
    return paginate(Object.values(this.state.apis), position, limit);
  }

  deleteRestApi(restApiId: string): void {
    this.getRestApi(restApiId);
    deleteOwn(this.state.apis, restApiId);
    this.save();
  }

  // ---- resources ----

  getResources(restApiId: string, position?: string, limit?: number): Page<ResourceRecord> {
    const api = this.getRestApi(restApiId);
    return paginate(Object.values(api.resources), position, limit);
  }

  /** an unknown API is an unknown resource here, as AWS answers (test_put_method_validation wrong-api) */
  getResource(restApiId: string, resourceId: string): ResourceRecord {
    const resource = getOwn(getOwn(this.state.apis, restApiId)?.resources, resourceId);
    if (!resource) throw resourceNotFound();
    return resource;
  }

  createResource(restApiId: string, parentId: string, pathPart: string): ResourceRecord {
    const api = this.getRestApi(restApiId);
    const parent = getOwn(api.resources, parentId);
    if (!parent) throw resourceNotFound();
    if (!pathPart || !PATH_PART.test(pathPart)) {
      throw badRequest(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
      );
    }
    if (parent.pathPart?.endsWith('+}')) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
    const siblings = Object.values(api.resources).filter((r) => r.parentId === parentId);
    if (siblings.some((s) => s.pathPart === pathPart)) {
      throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
    }
    const variable = pathPart.startsWith('{');
    const otherVariable = variable && siblings.find((s) => s.pathPart?.startsWith('{'));
    if (otherVariable) {
      throw badRequest(`A sibling (${otherVariable.pathPart}) of this resource already has a variable path part -- only one is allowed`);
    }
    const resource: ResourceRecord = {
      id: this.freshId((id) => hasOwnKey(api.resources, id)),
      parentId,
      pathPart,
      path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
      resourceMethods: {},
    };
    setOwn(api.resources, resource.id, resource);
    this.save();
    return resource;
  }

  deleteResource(restApiId: string, resourceId: string): void {
    const api = this.getRestApi(restApiId);
    if (!hasOwnKey(api.resources, resourceId)) throw resourceNotFound();
    if (resourceId === api.rootResourceId) throw badRequest('Cannot delete the root resource of a REST API');
    // deleting a resource deletes its whole subtree
    const doomed = new Set([resourceId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of Object.values(api.resources)) {
        if (r.parentId && doomed.has(r.parentId) && !doomed.has(r.id)) {
          doomed.add(r.id);
          grew = true;
        }
      }
    }
    for (const id of doomed) deleteOwn(api.resources, id);
    this.save();
  }

  // ---- methods and integrations ----

  putMethod(restApiId: string, resourceId: string, httpMethod: string, input: PutMethodInput): MethodRecord {
    const resource = this.getResource(restApiId, resourceId);
    const verb = checkHttpMethod(httpMethod);
    if (!input.authorizationType) throw badRequest('Invalid authorization type specified');
    const method: MethodRecord = {
      httpMethod: verb,
      authorizationType: input.authorizationType,
      authorizerId: input.authorizerId,
      apiKeyRequired: input.apiKeyRequired ?? false,
      operationName: input.operationName,
      requestParameters: input.requestParameters,
      requestModels: input.requestModels,
      requestValidatorId: input.requestValidatorId,
      authorizationScopes: input.authorizationScopes,
    };
    setOwn(resource.resourceMethods, verb, method);
    this.save();
    return method;
  }

  getMethod(restApiId: string, resourceId: string, httpMethod: string): MethodRecord {
    const method = getOwn(this.getResource(restApiId, resourceId).resourceMethods, httpMethod.toUpperCase());
    if (!method) throw methodNotFound();
    return method;
  }

  deleteMethod(restApiId: string, resourceId: string, httpMethod: string): void {
    const resource = this.getResource(restApiId, resourceId);
    if (!deleteOwn(resource.resourceMethods, httpMethod.toUpperCase())) throw methodNotFound();
    this.save();
  }

  putIntegration(restApiId: string, resourceId: string, httpMethod: string, input: PutIntegrationInput): IntegrationRecord {
    const method = this.getMethod(restApiId, resourceId, httpMethod);
    if (!INTEGRATION_TYPES.includes(input.type)) {
      throw badRequest(`Invalid integration type specified. Must be one of: [${INTEGRATION_TYPES.join(', ')}]`);
    }
    const needsBackend = input.type !== 'MOCK';
    if (needsBackend && !input.integrationHttpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
    if (needsBackend && !input.uri) throw badRequest('Invalid ARN specified in the request');
    if (input.type === 'AWS_PROXY' && !parseLambdaUri(input.uri!)) {
      throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
    }
    const timeout = input.timeoutInMillis ?? INTEGRATION_TIMEOUT_MS;
    if (!Number.isInteger(timeout) || timeout < 50) throw badRequest('Timeout should be at least 50 ms');
    const integration: IntegrationRecord = {
      type: input.type,
      httpMethod: input.integrationHttpMethod?.toUpperCase(),
      uri: input.uri,
      connectionType: input.connectionType,
      credentials: input.credentials,
      requestParameters: input.requestParameters,
      requestTemplates: input.requestTemplates,
      passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
      contentHandling: input.contentHandling,
      timeoutInMillis: timeout,
      cacheNamespace: input.cacheNamespace ?? resourceId,
      cacheKeyParameters: input.cacheKeyParameters ?? [],
    };
    method.methodIntegration = integration;
    this.save();
    return integration;
  }

  getIntegration(restApiId: string, resourceId: string, httpMethod: string): IntegrationRecord {
    const integration = this.getMethod(restApiId, resourceId, httpMethod).methodIntegration;
    if (!integration) throw integrationNotFound();
    return integration;
  }

  deleteIntegration(restApiId: string, resourceId: string, httpMethod: string): void {
    const method = this.getMethod(restApiId, resourceId, httpMethod);
    if (!method.methodIntegration) throw integrationNotFound();
    delete method.methodIntegration;
    this.save();
  }

  // ---- method responses and integration responses (method-responses.ts) ----

  private responseAt(restApiId: string, resourceId: string, httpMethod: string, statusCode: string): responses.ResponseAddress {
    return { api: this.lookup(restApiId), resourceId, httpMethod, statusCode };
  }

  putMethodResponse(restApiId: string, resourceId: string, httpMethod: string, statusCode: string, input: responses.PutMethodResponseInput): MethodResponseRecord {
    const response = responses.putMethodResponse(this.responseAt(restApiId, resourceId, httpMethod, statusCode), input);
    this.save();
    return response;
  }

  getMethodResponse(restApiId: string, resourceId: string, httpMethod: string, statusCode: string): MethodResponseRecord {
    return responses.getMethodResponse(this.responseAt(restApiId, resourceId, httpMethod, statusCode));
  }

  deleteMethodResponse(restApiId: string, resourceId: string, httpMethod: string, statusCode: string): void {
    responses.deleteMethodResponse(this.responseAt(restApiId, resourceId, httpMethod, statusCode));
    this.save();
  }

  putIntegrationResponse(restApiId: string, resourceId: string, httpMethod: string, statusCode: string, input: responses.PutIntegrationResponseInput): IntegrationResponseRecord {
    const response = responses.putIntegrationResponse(this.responseAt(restApiId, resourceId, httpMethod, statusCode), input);
    this.save();
    return response;
  }

  getIntegrationResponse(restApiId: string, resourceId: string, httpMethod: string, statusCode: string): IntegrationResponseRecord {
    return responses.getIntegrationResponse(this.responseAt(restApiId, resourceId, httpMethod, statusCode));
  }

  deleteIntegrationResponse(restApiId: string, resourceId: string, httpMethod: string, statusCode: string): void {
    responses.deleteIntegrationResponse(this.responseAt(restApiId, resourceId, httpMethod, statusCode));
    this.save();
  }

  // ---- deployments ----

  createDeployment(restApiId: string, input: CreateDeploymentInput): DeploymentRecord {
    const api = this.getRestApi(restApiId);
    const resources = Object.values(api.resources);
    const methods = resources.flatMap((r) => Object.values(r.resourceMethods));
    if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
    if (methods.some((m) => !m.methodIntegration)) throw badRequest('No integration defined for method');
    if (input.canarySettings) checkCanaryDeploymentStage(api, input.stageName);
    else if (input.stageName) checkNonCanaryDeploymentStage(getOwn(api.stages, input.stageName));
    if (input.stageName !== undefined) checkStageName(input.stageName);

    const now = this.nowSeconds();
    const deployment: DeploymentRecord = {
      id: this.freshId((id) => hasOwnKey(api.deployments, id)),
      description: input.description,
      createdDate: now,
      snapshot: { resources: structuredClone(resources), binaryMediaTypes: [...api.binaryMediaTypes] },
    };
    setOwn(api.deployments, deployment.id, deployment);

    if (input.stageName) {
      const existing = getOwn(api.stages, input.stageName);
      if (!existing) {
        setOwn(api.stages, input.stageName, newStage({ ...input, stageName: input.stageName, deploymentId: deployment.id, description: input.stageDescription }, now));
      } else if (input.canarySettings) {
        // the stage keeps its deploymentId; the canary gets the new one (canary.ts)
        existing.canarySettings = canaryFrom(input.canarySettings, deployment.id);
        existing.lastUpdatedDate = now;
      } else {
        existing.deploymentId = deployment.id;
        // replaced, not changed in place: a request already routed holds the stage's variables
        // in its proxy event's parts until Lambda posts them (after a cold start's init)
        if (input.variables) existing.variables = assignOwn(copyTable(existing.variables), input.variables);
        if (input.stageDescription !== undefined) existing.description = input.stageDescription;
        if (input.tracingEnabled !== undefined) existing.tracingEnabled = input.tracingEnabled;
        existing.lastUpdatedDate = now;
      }
    }
    this.save();
    return deployment;
  }

  getDeployment(restApiId: string, deploymentId: string): DeploymentRecord {
    const deployment = getOwn(this.getRestApi(restApiId).deployments, deploymentId);
    if (!deployment) throw deploymentNotFound();
    return deployment;
  }

  getDeployments(restApiId: string, position?: string, limit?: number): Page<DeploymentRecord> {
    return paginate(Object.values(this.getRestApi(restApiId).deployments), position, limit);
  }

  deleteDeployment(restApiId: string, deploymentId: string): void {
    const api = this.getRestApi(restApiId);
    if (!hasOwnKey(api.deployments, deploymentId)) throw deploymentNotFound();
    const inUse = Object.values(api.stages).some(
      (s) => s.deploymentId === deploymentId || s.canarySettings?.deploymentId === deploymentId,
    );
    if (inUse) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
    deleteOwn(api.deployments, deploymentId);
    this.save();
  }

  // ---- stages ----

  createStage(restApiId: string, input: CreateStageInput): StageRecord {
    const api = this.getRestApi(restApiId);
    checkStageName(input.stageName);
    if (!input.deploymentId || !hasOwnKey(api.deployments, input.deploymentId)) throw deploymentNotFound();
    if (hasOwnKey(api.stages, input.stageName)) throw conflict('Stage already exists');
    const canaryDeployment = input.canarySettings?.deploymentId;
    if (canaryDeployment !== undefined && !hasOwnKey(api.deployments, canaryDeployment)) throw canaryDeploymentMissing();
    const now = this.nowSeconds();
    const stage = newStage(input, now);
    setOwn(api.stages, stage.stageName, stage);
    this.save();
    return stage;
  }

  getStage(restApiId: string, stageName: string): StageRecord {
    const stage = getOwn(this.getRestApi(restApiId).stages, stageName);
    if (!stage) throw stageNotFound();
    return stage;
  }

  /** the stage's deployed API (the snapshot it serves, not the draft) as an OpenAPI document */
  getExport(restApiId: string, stageName: string, type: ExportType, extensions: readonly string[], host: string): Record<string, unknown> {
    const api = this.getRestApi(restApiId);
    const stage = this.getStage(restApiId, stageName);
    return exportStage(api, stage, this.getDeployment(restApiId, stage.deploymentId), type, extensions, host);
  }

  getStages(restApiId: string, deploymentId?: string): StageRecord[] {
    const stages = Object.values(this.getRestApi(restApiId).stages);
    return deploymentId ? stages.filter((s) => s.deploymentId === deploymentId) : stages;
  }

  updateStage(restApiId: string, stageName: string, ops: PatchOperation[]): StageRecord {
    const api = this.getRestApi(restApiId);
    const current = this.getStage(restApiId, stageName);
    const next = applyStagePatch(current, ops, (id) => hasOwnKey(api.deployments, id));
    next.lastUpdatedDate = this.nowSeconds();
    setOwn(api.stages, stageName, next);
    this.save();
    return next;
  }

  deleteStage(restApiId: string, stageName: string): void {
    const api = this.getRestApi(restApiId);
    if (!deleteOwn(api.stages, stageName)) throw stageNotFound();
    this.save();
  }

  // ---- for the front door (hot path: plain lookups, no copies) ----

  /** the API and stage behind an invoke URL, or what is missing */
  lookup(restApiId: string): RestApiRecord | undefined {
    return getOwn(this.state.apis, restApiId);
  }

  /** stores the change before the call answers; one that cannot be stored is undone (StateDocument) */
  private save(): void {
    this.document?.commit();
  }

  private nowSeconds(): number {
    return Math.floor(this.opts.clock.now() / 1000);
  }

  private freshId(taken: (id: string) => boolean): string {
    for (;;) {
      const id = newId();
      if (!taken(id)) return id;
    }
  }
}

function checkHttpMethod(httpMethod: string): string {
  const verb = httpMethod.toUpperCase();
  if (!HTTP_METHODS.includes(verb)) {
    throw badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
  }
  return verb;
}

function checkStageName(name: string): void {
  if (!name || !STAGE_NAME.test(name)) {
    throw badRequest('Stage name only allows a-zA-Z0-9_ and hyphens, up to 128 characters');
  }
}

/** API Gateway pages with an opaque `position` token and `limit` (default 25, max 500). */
function paginate<T>(all: T[], position?: string, limit?: number): Page<T> {
  const start = position ? Number.parseInt(position, 10) : 0;
  if (!Number.isInteger(start) || start < 0) throw badRequest('Invalid position parameter');
  const size = limit ?? 25;
  if (!Number.isInteger(size) || size < 1 || size > 500) throw badRequest('Invalid limit parameter: must be between 1 and 500');
  const items = all.slice(start, start + size);
  return { items, position: start + size < all.length ? String(start + size) : undefined };
}

/** A new stage on `deploymentId`; its canary, if any, starts on the same deployment. */
function newStage(
  input: Pick<CreateStageInput, 'stageName' | 'deploymentId' | 'description' | 'variables' | 'canarySettings' | 'cacheClusterEnabled' | 'cacheClusterSize' | 'tracingEnabled' | 'tags'>,
  now: number,
): StageRecord {
  return {
    stageName: input.stageName,
    deploymentId: input.deploymentId,
    description: input.description,
    variables: copyTable(input.variables),
    canarySettings: input.canarySettings ? canaryFrom(input.canarySettings, input.canarySettings.deploymentId ?? input.deploymentId) : undefined,
    cacheClusterEnabled: input.cacheClusterEnabled ?? false,
    cacheClusterSize: input.cacheClusterSize,
    cacheClusterStatus: 'NOT_AVAILABLE',
    tracingEnabled: input.tracingEnabled ?? false,
    methodSettings: {},
    tags: input.tags ?? {},
    createdDate: now,
    lastUpdatedDate: now,
  };
}

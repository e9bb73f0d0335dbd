/**
 * Read each operation's input (labels, query and JSON members as the restJson1 codec hands them
 * over), call the backend, and shape the answer as the API Gateway model names it. List answers
 * use the wire name `item` (model `items` with jsonName `item`, wire doc 6.5).
 */
import { badRequest } from './errors.js';
import type {
  ApiGatewayBackend,
  CanarySettingsInput,
  CreateDeploymentInput,
  CreateRestApiInput,
  CreateStageInput,
  PutIntegrationInput,
  PutMethodInput,
} from './backend.js';
import type {
  CanarySettingsRecord,
  DeploymentRecord,
  IntegrationRecord,
  MethodRecord,
  ResourceRecord,
  RestApiRecord,
  StageRecord,
} from './model.js';
import type { PatchOperation } from './patch.js';

type In = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v));
const req = (v: unknown, name: string): string => {
  const s = str(v);
  if (!s) throw badRequest(`${name} must not be empty`);
  return s;
};
const int = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`Invalid ${name}: ${String(v)}`);
  return n;
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);
const strMap = (v: unknown): Record<string, string> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as In).map(([k, x]) => [k, String(x)]))
    : undefined;
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);
const boolMap = (v: unknown): Record<string, boolean> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as In).map(([k, x]) => [k, x === true || x === 'true']))
    : undefined;
/** response templates: a null or "" template stays null */
const templateMap = (v: unknown): Record<string, string | null> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as In).map(([k, x]) => [k, x === null || x === undefined ? null : String(x)]))
    : undefined;
const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));

/**
 * UpdateStage's `patchOperations`: a list of objects whose members are strings (the API's
 * PatchOperation: op, path, value, from). A number or boolean member is taken as its text, as `str`
 * takes other inputs; an element that is not an object, or a member that is an object or a list, is
 * refused before anything is applied (it would otherwise be stored as it came: a stage variable
 * holding an object, which no function's event may carry).
 */
const patchOperations = (v: unknown): PatchOperation[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badRequest('Invalid patchOperations: expected a list of patch operations');
  return v.map((o: unknown, i) => {
    const at = `patchOperations.${i + 1}`;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw badRequest(`Invalid patch operation at ${at}: expected an object with op, path, value and from`);
    const member = (name: 'op' | 'path' | 'value' | 'from'): string | undefined => {
      const m = (o as In)[name];
      if (m !== null && typeof m === 'object') throw badRequest(`Invalid ${at}.${name}: expected a string`);
      return str(m);
    };
    return { op: member('op'), path: member('path'), value: member('value'), from: member('from') };
  });
};

// ---- output shapes ----

export function restApiOut(api: RestApiRecord) {
  return {
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: api.createdDate,
    version: api.version,
    binaryMediaTypes: api.binaryMediaTypes.length ? api.binaryMediaTypes : undefined,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: api.endpointConfiguration,
    tags: Object.keys(api.tags).length ? api.tags : undefined,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  };
}

export function integrationOut(i: IntegrationRecord) {
  return { ...i };
}

export function methodOut(m: MethodRecord) {
  return { ...m, methodIntegration: m.methodIntegration ? integrationOut(m.methodIntegration) : undefined };
}

export function resourceOut(r: ResourceRecord) {
  const methods = Object.entries(r.resourceMethods);
  return {
    id: r.id,
    parentId: r.parentId,
    pathPart: r.pathPart,
    path: r.path,
    resourceMethods: methods.length ? Object.fromEntries(methods.map(([k, m]) => [k, methodOut(m)])) : undefined,
  };
}

export function deploymentOut(d: DeploymentRecord) {
  return { id: d.id, description: d.description, createdDate: d.createdDate };
}

export function stageOut(s: StageRecord) {
  return {
    deploymentId: s.deploymentId,
    stageName: s.stageName,
    description: s.description,
    cacheClusterEnabled: s.cacheClusterEnabled,
    cacheClusterSize: s.cacheClusterSize,
    cacheClusterStatus: s.cacheClusterStatus,
    methodSettings: s.methodSettings,
    variables: Object.keys(s.variables).length ? s.variables : undefined,
    canarySettings: s.canarySettings ? canaryOut(s.canarySettings) : undefined,
    tracingEnabled: s.tracingEnabled,
    tags: Object.keys(s.tags).length ? s.tags : undefined,
    createdDate: s.createdDate,
    lastUpdatedDate: s.lastUpdatedDate,
  };
}

/** AWS leaves stageVariableOverrides out when there are none (test_apigateway_canary snapshots). */
function canaryOut(c: CanarySettingsRecord) {
  return {
    percentTraffic: c.percentTraffic,
    deploymentId: c.deploymentId,
    stageVariableOverrides: Object.keys(c.stageVariableOverrides).length ? c.stageVariableOverrides : undefined,
    useStageCache: c.useStageCache,
  };
}

function canaryIn(v: unknown): CanarySettingsInput | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const c = v as In;
  return {
    percentTraffic: num(c.percentTraffic),
    deploymentId: str(c.deploymentId),
    stageVariableOverrides: strMap(c.stageVariableOverrides),
    useStageCache: bool(c.useStageCache),
  };
}

// ---- handlers, one per operation ----

export function makeHandlers(b: ApiGatewayBackend) {
  return {
    CreateRestApi: (i: In) => {
      const input: CreateRestApiInput = {
        name: req(i.name, 'name'),
        description: str(i.description),
        version: str(i.version),
        binaryMediaTypes: strList(i.binaryMediaTypes),
        minimumCompressionSize: int(i.minimumCompressionSize, 'minimumCompressionSize'),
        apiKeySource: str(i.apiKeySource),
        endpointConfiguration: i.endpointConfiguration as CreateRestApiInput['endpointConfiguration'],
        disableExecuteApiEndpoint: bool(i.disableExecuteApiEndpoint),
        tags: strMap(i.tags),
      };
      return restApiOut(b.createRestApi(input));
    },
    GetRestApi: (i: In) => restApiOut(b.getRestApi(req(i.restApiId, 'restApiId'))),
    GetRestApis: (i: In) => {
      const page = b.getRestApis(str(i.position), int(i.limit, 'limit'));
      return { item: page.items.map(restApiOut), position: page.position };
    },
    DeleteRestApi: (i: In) => {
      b.deleteRestApi(req(i.restApiId, 'restApiId'));
      return {};
    },

    GetResources: (i: In) => {
      const page = b.getResources(req(i.restApiId, 'restApiId'), str(i.position), int(i.limit, 'limit'));
      return { item: page.items.map(resourceOut), position: page.position };
    },
    GetResource: (i: In) => resourceOut(b.getResource(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'))),
    CreateResource: (i: In) =>
      resourceOut(b.createResource(req(i.restApiId, 'restApiId'), req(i.parentId, 'parentId'), str(i.pathPart) ?? '')),
    DeleteResource: (i: In) => {
      b.deleteResource(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'));
      return {};
    },

    PutMethod: (i: In) => {
      const input: PutMethodInput = {
        authorizationType: req(i.authorizationType, 'authorizationType'),
        authorizerId: str(i.authorizerId),
        apiKeyRequired: bool(i.apiKeyRequired),
        operationName: str(i.operationName),
        requestParameters: i.requestParameters as Record<string, boolean> | undefined,
        requestModels: strMap(i.requestModels),
        requestValidatorId: str(i.requestValidatorId),
        authorizationScopes: strList(i.authorizationScopes),
      };
      return methodOut(b.putMethod(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), input));
    },
    GetMethod: (i: In) =>
      methodOut(b.getMethod(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'))),
    DeleteMethod: (i: In) => {
      b.deleteMethod(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'));
      return {};
    },

    // The method's verb is the path label `requestHttpMethod`; the body's `httpMethod` is the
    // integration's (model: integrationHttpMethod with jsonName httpMethod).
    PutIntegration: (i: In) => {
      const input: PutIntegrationInput = {
        type: req(i.type, 'type'),
        integrationHttpMethod: str(i.httpMethod),
        uri: str(i.uri),
        connectionType: str(i.connectionType),
        credentials: str(i.credentials),
        requestParameters: strMap(i.requestParameters),
        requestTemplates: strMap(i.requestTemplates),
        passthroughBehavior: str(i.passthroughBehavior),
        contentHandling: str(i.contentHandling),
        timeoutInMillis: int(i.timeoutInMillis, 'timeoutInMillis'),
        cacheNamespace: str(i.cacheNamespace),
        cacheKeyParameters: strList(i.cacheKeyParameters),
      };
      return integrationOut(
        b.putIntegration(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.requestHttpMethod, 'httpMethod'), input),
      );
    },
    GetIntegration: (i: In) =>
      integrationOut(b.getIntegration(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.requestHttpMethod, 'httpMethod'))),
    DeleteIntegration: (i: In) => {
      b.deleteIntegration(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.requestHttpMethod, 'httpMethod'));
      return {};
    },

    // The method's verb is the path label `httpMethod` here: these bodies have no httpMethod member.
    PutMethodResponse: (i: In) =>
      b.putMethodResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode) ?? '', {
        responseParameters: boolMap(i.responseParameters),
        responseModels: strMap(i.responseModels),
      }),
    GetMethodResponse: (i: In) =>
      b.getMethodResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode) ?? ''),
    DeleteMethodResponse: (i: In) => {
      b.deleteMethodResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode) ?? '');
      return {};
    },
    PutIntegrationResponse: (i: In) =>
      b.putIntegrationResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode) ?? '', {
        selectionPattern: str(i.selectionPattern),
        responseParameters: strMap(i.responseParameters),
        responseTemplates: templateMap(i.responseTemplates),
        contentHandling: str(i.contentHandling),
      }),
    GetIntegrationResponse: (i: In) =>
      b.getIntegrationResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode) ?? ''),
    DeleteIntegrationResponse: (i: In) => {
      b.deleteIntegrationResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode) ?? '');
      return {};
    },

    CreateDeployment: (i: In) => {
      const input: CreateDeploymentInput = {
        stageName: str(i.stageName),
        stageDescription: str(i.stageDescription),
        description: str(i.description),
        cacheClusterEnabled: bool(i.cacheClusterEnabled),
        cacheClusterSize: str(i.cacheClusterSize),
        variables: strMap(i.variables),
        canarySettings: canaryIn(i.canarySettings),
        tracingEnabled: bool(i.tracingEnabled),
      };
      return deploymentOut(b.createDeployment(req(i.restApiId, 'restApiId'), input));
    },
    GetDeployment: (i: In) => deploymentOut(b.getDeployment(req(i.restApiId, 'restApiId'), req(i.deploymentId, 'deploymentId'))),
    GetDeployments: (i: In) => {
      const page = b.getDeployments(req(i.restApiId, 'restApiId'), str(i.position), int(i.limit, 'limit'));
      return { item: page.items.map(deploymentOut), position: page.position };
    },
    DeleteDeployment: (i: In) => {
      b.deleteDeployment(req(i.restApiId, 'restApiId'), req(i.deploymentId, 'deploymentId'));
      return {};
    },

    CreateStage: (i: In) => {
      const input: CreateStageInput = {
        stageName: req(i.stageName, 'stageName'),
        deploymentId: req(i.deploymentId, 'deploymentId'),
        description: str(i.description),
        cacheClusterEnabled: bool(i.cacheClusterEnabled),
        cacheClusterSize: str(i.cacheClusterSize),
        variables: strMap(i.variables),
        canarySettings: canaryIn(i.canarySettings),
        tracingEnabled: bool(i.tracingEnabled),
        tags: strMap(i.tags),
      };
      return stageOut(b.createStage(req(i.restApiId, 'restApiId'), input));
    },
    GetStage: (i: In) => stageOut(b.getStage(req(i.restApiId, 'restApiId'), req(i.stageName, 'stageName'))),
    GetStages: (i: In) => ({ item: b.getStages(req(i.restApiId, 'restApiId'), str(i.deploymentId)).map(stageOut) }),
    UpdateStage: (i: In) => {
      return stageOut(b.updateStage(req(i.restApiId, 'restApiId'), req(i.stageName, 'stageName'), patchOperations(i.patchOperations)));
    },
    DeleteStage: (i: In) => {
      b.deleteStage(req(i.restApiId, 'restApiId'), req(i.stageName, 'stageName'));
      return {};
    },
  };
}

export type ApiGatewayHandlers = ReturnType<typeof makeHandlers>;

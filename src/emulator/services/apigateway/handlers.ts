/**
 * Read each operation's input (labels, query and JSON members as the restJson1 codec hands them
 * over), call the backend, and shape the answer as the API Gateway model names it. List answers
 * use the wire name `item` (model `items` with jsonName `item`, wire doc 6.5).
 */
import { setOwn } from '../../core/own-key.js';
import type { CallContext } from '../../core/service.js';
import { badRequest } from './errors.js';
import { exportTypeOf } from './export.js';
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

// ---- input: each member as the model types it ----
// A member the model types as a string takes a number or a boolean as its text (as the other
// inputs always have); an object or a list where a string, a number or a map belongs is refused
// with a 400 naming the member, before anything is stored: String() of a parsed object is
// "[object Object]", and throws for one whose `toString` member is not a function.

const invalidMember = (name: string, expected: string) => badRequest(`Invalid ${name}: expected ${expected}`);

const str = (v: unknown, name: string): string | undefined => {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidMember(name, 'a string');
};
const req = (v: unknown, name: string): string => {
  const s = str(v, name);
  if (!s) throw badRequest(`${name} must not be empty`);
  return s;
};
const int = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'number' && typeof v !== 'string') throw invalidMember(name, 'an integer');
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`Invalid ${name}: ${v}`);
  return n;
};
const num = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  throw invalidMember(name, 'a number');
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);
/** a structure or map member (a JSON object), or undefined when absent; `expected` names it in the 400 */
const objectIn = (v: unknown, name: string, expected: 'a map' | 'a structure'): In | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidMember(name, expected);
  return v as In;
};
/** a map member: its own entries, or undefined when absent */
const entries = (v: unknown, name: string): [string, unknown][] | undefined => {
  const map = objectIn(v, name, 'a map');
  return map && Object.entries(map);
};
/** a map of strings; an entry whose value is null is left out */
const strMap = (v: unknown, name: string): Record<string, string> | undefined => {
  const all = entries(v, name);
  if (!all) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of all) {
    const s = str(x, `${name}.${k}`);
    if (s !== undefined) setOwn(out, k, s);
  }
  return out;
};
const strList = (v: unknown, name: string): string[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidMember(name, 'a list of strings');
  return v.map((x, n) => {
    const s = str(x, `${name}.${n + 1}`);
    if (s === undefined) throw invalidMember(`${name}.${n + 1}`, 'a string');
    return s;
  });
};
const boolMap = (v: unknown, name: string): Record<string, boolean> | undefined => {
  const all = entries(v, name);
  if (!all) return undefined;
  const out: Record<string, boolean> = {};
  for (const [k, x] of all) {
    if (x !== null && typeof x === 'object') throw invalidMember(`${name}.${k}`, 'a boolean');
    setOwn(out, k, x === true || x === 'true');
  }
  return out;
};
/** response templates: a null or "" template stays null */
const templateMap = (v: unknown, name: string): Record<string, string | null> | undefined => {
  const all = entries(v, name);
  if (!all) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, x] of all) setOwn(out, k, x === null || x === undefined ? null : str(x, `${name}.${k}`)!);
  return out;
};
/** endpointConfiguration: its `types` (EDGE, REGIONAL, PRIVATE) */
const endpointConfigurationIn = (v: unknown): CreateRestApiInput['endpointConfiguration'] => {
  const c = objectIn(v, 'endpointConfiguration', 'a structure');
  return c && { types: strList(c.types, 'endpointConfiguration.types') };
};

/**
 * UpdateStage's `patchOperations`: a list of PatchOperation structures (op, path, value, from, all
 * strings). An element that is not one is refused before anything is applied; otherwise a value
 * that was an object would be stored as a stage variable holding an object, which no function's
 * event may carry.
 */
const patchOperations = (v: unknown): PatchOperation[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidMember('patchOperations', 'a list of patch operations');
  return v.map((o: unknown, n) => {
    const at = `patchOperations.${n + 1}`;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw badRequest(`Invalid patch operation at ${at}: expected an object with op, path, value and from`);
    const p = o as In;
    return { op: str(p.op, `${at}.op`), path: str(p.path, `${at}.path`), value: str(p.value, `${at}.value`), from: str(p.from, `${at}.from`) };
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

/**
 * A resource as GetResource(s) answer it: each method whole only when the call asks for
 * `embed=methods`; otherwise the method's name with an empty object (`"POST": {}`), as AWS does
 * ("Currently, the request supports only retrieval of the embedded Method resources this way":
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetResources.html,
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetResource.html).
 */
export function resourceOut(r: ResourceRecord, embedMethods = false) {
  const methods = Object.entries(r.resourceMethods);
  return {
    id: r.id,
    parentId: r.parentId,
    pathPart: r.pathPart,
    path: r.path,
    resourceMethods: methods.length ? Object.fromEntries(methods.map(([k, m]) => [k, embedMethods ? methodOut(m) : {}])) : undefined,
  };
}

/** `embed`: a comma-separated list (sent once, or repeated by a client that sends a list that way) naming `methods` */
function embedsMethods(embed: unknown): boolean {
  const values = Array.isArray(embed) ? embed : [embed];
  return values.some((v) => typeof v === 'string' && v.split(',').some((part) => part.trim() === 'methods'));
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
  const c = objectIn(v, 'canarySettings', 'a structure');
  if (!c) return undefined;
  return {
    percentTraffic: num(c.percentTraffic, 'canarySettings.percentTraffic'),
    deploymentId: str(c.deploymentId, 'canarySettings.deploymentId'),
    stageVariableOverrides: strMap(c.stageVariableOverrides, 'canarySettings.stageVariableOverrides'),
    useStageCache: bool(c.useStageCache),
  };
}

// ---- handlers, one per operation ----

export function makeHandlers(b: ApiGatewayBackend) {
  return {
    CreateRestApi: (i: In) => {
      const input: CreateRestApiInput = {
        name: req(i.name, 'name'),
        description: str(i.description, 'description'),
        version: str(i.version, 'version'),
        binaryMediaTypes: strList(i.binaryMediaTypes, 'binaryMediaTypes'),
        minimumCompressionSize: int(i.minimumCompressionSize, 'minimumCompressionSize'),
        apiKeySource: str(i.apiKeySource, 'apiKeySource'),
        endpointConfiguration: endpointConfigurationIn(i.endpointConfiguration),
        disableExecuteApiEndpoint: bool(i.disableExecuteApiEndpoint),
        tags: strMap(i.tags, 'tags'),
      };
      return restApiOut(b.createRestApi(input));
    },
    GetRestApi: (i: In) => restApiOut(b.getRestApi(req(i.restApiId, 'restApiId'))),
    GetRestApis: (i: In) => {
      const page = b.getRestApis(str(i.position, 'position'), int(i.limit, 'limit'));
      return { item: page.items.map(restApiOut), position: page.position };
    },
    DeleteRestApi: (i: In) => {
      b.deleteRestApi(req(i.restApiId, 'restApiId'));
      return {};
    },

    GetResources: (i: In) => {
      const page = b.getResources(req(i.restApiId, 'restApiId'), str(i.position, 'position'), int(i.limit, 'limit'));
      const embed = embedsMethods(i.embed);
      return { item: page.items.map((r) => resourceOut(r, embed)), position: page.position };
    },
    GetResource: (i: In) => resourceOut(b.getResource(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId')), embedsMethods(i.embed)),
    CreateResource: (i: In) =>
      resourceOut(b.createResource(req(i.restApiId, 'restApiId'), req(i.parentId, 'parentId'), str(i.pathPart, 'pathPart') ?? '')),
    DeleteResource: (i: In) => {
      b.deleteResource(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'));
      return {};
    },

    PutMethod: (i: In) => {
      const input: PutMethodInput = {
        authorizationType: req(i.authorizationType, 'authorizationType'),
        authorizerId: str(i.authorizerId, 'authorizerId'),
        apiKeyRequired: bool(i.apiKeyRequired),
        operationName: str(i.operationName, 'operationName'),
        requestParameters: boolMap(i.requestParameters, 'requestParameters'),
        requestModels: strMap(i.requestModels, 'requestModels'),
        requestValidatorId: str(i.requestValidatorId, 'requestValidatorId'),
        authorizationScopes: strList(i.authorizationScopes, 'authorizationScopes'),
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
        integrationHttpMethod: str(i.httpMethod, 'httpMethod'),
        uri: str(i.uri, 'uri'),
        connectionType: str(i.connectionType, 'connectionType'),
        credentials: str(i.credentials, 'credentials'),
        requestParameters: strMap(i.requestParameters, 'requestParameters'),
        requestTemplates: strMap(i.requestTemplates, 'requestTemplates'),
        passthroughBehavior: str(i.passthroughBehavior, 'passthroughBehavior'),
        contentHandling: str(i.contentHandling, 'contentHandling'),
        timeoutInMillis: int(i.timeoutInMillis, 'timeoutInMillis'),
        cacheNamespace: str(i.cacheNamespace, 'cacheNamespace'),
        cacheKeyParameters: strList(i.cacheKeyParameters, 'cacheKeyParameters'),
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
      b.putMethodResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode, 'statusCode') ?? '', {
        responseParameters: boolMap(i.responseParameters, 'responseParameters'),
        responseModels: strMap(i.responseModels, 'responseModels'),
      }),
    GetMethodResponse: (i: In) =>
      b.getMethodResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode, 'statusCode') ?? ''),
    DeleteMethodResponse: (i: In) => {
      b.deleteMethodResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode, 'statusCode') ?? '');
      return {};
    },
    PutIntegrationResponse: (i: In) =>
      b.putIntegrationResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode, 'statusCode') ?? '', {
        selectionPattern: str(i.selectionPattern, 'selectionPattern'),
        responseParameters: strMap(i.responseParameters, 'responseParameters'),
        responseTemplates: templateMap(i.responseTemplates, 'responseTemplates'),
        contentHandling: str(i.contentHandling, 'contentHandling'),
      }),
    GetIntegrationResponse: (i: In) =>
      b.getIntegrationResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode, 'statusCode') ?? ''),
    DeleteIntegrationResponse: (i: In) => {
      b.deleteIntegrationResponse(req(i.restApiId, 'restApiId'), req(i.resourceId, 'resourceId'), req(i.httpMethod, 'httpMethod'), str(i.statusCode, 'statusCode') ?? '');
      return {};
    },

    CreateDeployment: (i: In) => {
      const input: CreateDeploymentInput = {
        stageName: str(i.stageName, 'stageName'),
        stageDescription: str(i.stageDescription, 'stageDescription'),
        description: str(i.description, 'description'),
        cacheClusterEnabled: bool(i.cacheClusterEnabled),
        cacheClusterSize: str(i.cacheClusterSize, 'cacheClusterSize'),
        variables: strMap(i.variables, 'variables'),
        canarySettings: canaryIn(i.canarySettings),
        tracingEnabled: bool(i.tracingEnabled),
      };
      return deploymentOut(b.createDeployment(req(i.restApiId, 'restApiId'), input));
    },
    GetDeployment: (i: In) => deploymentOut(b.getDeployment(req(i.restApiId, 'restApiId'), req(i.deploymentId, 'deploymentId'))),
    GetDeployments: (i: In) => {
      const page = b.getDeployments(req(i.restApiId, 'restApiId'), str(i.position, 'position'), int(i.limit, 'limit'));
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
        description: str(i.description, 'description'),
        cacheClusterEnabled: bool(i.cacheClusterEnabled),
        cacheClusterSize: str(i.cacheClusterSize, 'cacheClusterSize'),
        variables: strMap(i.variables, 'variables'),
        canarySettings: canaryIn(i.canarySettings),
        tracingEnabled: bool(i.tracingEnabled),
        tags: strMap(i.tags, 'tags'),
      };
      return stageOut(b.createStage(req(i.restApiId, 'restApiId'), input));
    },
    GetStage: (i: In) => stageOut(b.getStage(req(i.restApiId, 'restApiId'), req(i.stageName, 'stageName'))),
    // parameters arrive as plain query members (httpQueryParams): extensions=integrations,…
    GetExport: (i: In, call: CallContext) => {
      const restApiId = req(i.restApiId, 'restApiId');
      const stageName = req(i.stageName, 'stageName');
      const type = exportTypeOf(req(i.exportType, 'exportType'));
      const extensions = (str(i.extensions, 'extensions') ?? '').split(',').map((e) => e.trim());
      const host = `${restApiId}.execute-api.${call.region}.amazonaws.com`;
      const doc = b.getExport(restApiId, stageName, type, extensions, host);
      return { body: JSON.stringify(doc, null, 2), contentType: 'application/json', contentDisposition: `attachment; filename="${type}_${stageName}.json"` };
    },
    GetStages: (i: In) => ({ item: b.getStages(req(i.restApiId, 'restApiId'), str(i.deploymentId, 'deploymentId')).map(stageOut) }),
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

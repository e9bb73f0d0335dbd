/**
 * API Gateway (REST, v1) state as the backend keeps and persists it. Field names follow the
 * API Gateway model (RestApi, Resource, Method, Integration, Deployment, Stage) so that the
 * handlers can hand most of them to the codec as they are. Timestamps are epoch seconds.
 */

/** PutIntegrationResponse: how an integration's answer maps to a method response. */
export interface IntegrationResponseRecord {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  /** a template given as "" or null is kept as null, as AWS answers it */
  responseTemplates?: Record<string, string | null>;
  contentHandling?: string;
}

/** PutMethodResponse: a status code the method declares, with its headers and models. */
export interface MethodResponseRecord {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface IntegrationRecord {
  type: string;
  /** the HTTP method API Gateway uses towards the backend (POST for Lambda) */
  httpMethod?: string;
  uri?: string;
  connectionType?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: string;
  contentHandling?: string;
  timeoutInMillis: number;
  cacheNamespace: string;
  cacheKeyParameters: string[];
  /** keyed by status code (validated `[1-5]\d\d`, so never a prototype key) */
  integrationResponses?: Record<string, IntegrationResponseRecord>;
}

export interface MethodRecord {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  requestValidatorId?: string;
  authorizationScopes?: string[];
  methodIntegration?: IntegrationRecord;
  /** keyed by status code (validated `[1-5]\d\d`, so never a prototype key) */
  methodResponses?: Record<string, MethodResponseRecord>;
}

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods: Record<string, MethodRecord>;
}

/** What a deployment froze: the API's resources, methods and integrations at that moment. */
export interface DeploymentSnapshot {
  resources: ResourceRecord[];
  binaryMediaTypes: string[];
}

export interface DeploymentRecord {
  id: string;
  description?: string;
  createdDate: number;
  snapshot: DeploymentSnapshot;
}

export interface CanarySettingsRecord {
  percentTraffic: number;
  deploymentId?: string;
  stageVariableOverrides: Record<string, string>;
  useStageCache: boolean;
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  canarySettings?: CanarySettingsRecord;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  cacheClusterStatus: string;
  tracingEnabled: boolean;
  methodSettings: Record<string, unknown>;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface RestApiRecord {
  id: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: string;
  endpointConfiguration: { types: string[]; ipAddressType?: string };
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
  tags: Record<string, string>;
  resources: Record<string, ResourceRecord>;
  deployments: Record<string, DeploymentRecord>;
  stages: Record<string, StageRecord>;
}

/** The persisted document (`apigateway.json` in the state dir). */
export interface ApiGatewayState {
  version: 1;
  apis: Record<string, RestApiRecord>;
}

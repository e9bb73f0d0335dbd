/**
 * Which sections, resource attributes and properties the loader knows. A property outside these
 * lists is an error that names it; a resource type outside them is reported as not emulated.
 */
import { editDistance as distance } from '../nearest.js';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html (+ SAM's Globals) */
export const TOP_LEVEL_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions',
  'Transform', 'Globals', 'Resources', 'Outputs',
]);

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html */
export const RESOURCE_ATTRIBUTES = new Set([
  'Type', 'Properties', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata',
  'UpdatePolicy', 'CreationPolicy',
]);

export const PARAMETER_KEYS = new Set([
  'Type', 'Default', 'AllowedValues', 'AllowedPattern', 'MinLength', 'MaxLength', 'MinValue', 'MaxValue',
  'Description', 'NoEcho', 'ConstraintDescription',
]);

export const OUTPUT_KEYS = new Set(['Value', 'Description', 'Export', 'Condition']);

/**
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
 * Emulated: code, runtime, limits, environment, alias, concurrency, deployment preference, Api
 * events. Accepted and not emulated (the local cloud has no IAM, tracing or CPU choice):
 * Policies, Role, PermissionsBoundary, Description, Tracing, Architectures, Tags.
 */
export const FUNCTION_PROPERTIES = new Set([
  'CodeUri', 'Handler', 'Runtime', 'Timeout', 'MemorySize', 'Environment', 'FunctionName', 'AutoPublishAlias',
  'AutoPublishCodeSha256', 'AutoPublishAliasAllProperties', 'ReservedConcurrentExecutions', 'DeploymentPreference',
  'Events', 'Policies', 'Role', 'PermissionsBoundary', 'Description', 'Tracing', 'Architectures', 'Tags',
]);

/** https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html */
export const FUNCTION_GLOBALS = new Set([
  'CodeUri', 'Handler', 'Runtime', 'Timeout', 'MemorySize', 'Environment', 'AutoPublishAlias',
  'AutoPublishAliasAllProperties', 'ReservedConcurrentExecutions', 'DeploymentPreference', 'PermissionsBoundary',
  'Description', 'Tracing', 'Architectures', 'Tags',
]);

/** https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html */
export const API_PROPERTIES = new Set([
  'StageName', 'Variables', 'CanarySetting', 'Name', 'Description', 'Cors', 'EndpointConfiguration',
  'TracingEnabled', 'MethodSettings', 'OpenApiVersion', 'Tags', 'BinaryMediaTypes', 'MinimumCompressionSize',
  'AccessLogSetting', 'CacheClusterEnabled', 'CacheClusterSize', 'AlwaysDeploy',
]);

/** Globals.Api: the same, less StageName (SAM does not take it from Globals). */
export const API_GLOBALS = new Set([...API_PROPERTIES].filter((p) => p !== 'StageName'));

/** https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deploymentpreference.html */
export const DEPLOYMENT_PREFERENCE_KEYS = new Set([
  'Type', 'Enabled', 'Alarms', 'Hooks', 'Role', 'TriggerConfigurations', 'PassthroughCondition',
]);

/** https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html */
export const API_EVENT_PROPERTIES = new Set(['Path', 'Method', 'RestApiId']);

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html */
export const ALARM_PROPERTIES = new Set([
  'ActionsEnabled', 'AlarmActions', 'AlarmDescription', 'AlarmName', 'ComparisonOperator', 'DatapointsToAlarm',
  'Dimensions', 'EvaluateLowSampleCountPercentile', 'EvaluationPeriods', 'ExtendedStatistic',
  'InsufficientDataActions', 'MetricName', 'Metrics', 'Namespace', 'OKActions', 'Period', 'Statistic',
  'Threshold', 'ThresholdMetricId', 'TreatMissingData', 'Unit', 'Tags',
]);

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html */
export const BUCKET_PROPERTIES = new Set([
  'AbacStatus', 'AccelerateConfiguration', 'AccessControl', 'AnalyticsConfigurations', 'BucketEncryption',
  'BucketName', 'CorsConfiguration', 'IntelligentTieringConfigurations', 'InventoryConfigurations',
  'LifecycleConfiguration', 'LoggingConfiguration', 'MetadataTableConfiguration', 'MetricsConfigurations',
  'NotificationConfiguration', 'ObjectLockConfiguration', 'ObjectLockEnabled', 'OwnershipControls',
  'PublicAccessBlockConfiguration', 'ReplicationConfiguration', 'Tags', 'VersioningConfiguration',
  'WebsiteConfiguration',
]);

export const FUNCTION_TYPE = 'AWS::Serverless::Function';
export const API_TYPE = 'AWS::Serverless::Api';
export const ALARM_TYPE = 'AWS::CloudWatch::Alarm';
export const BUCKET_TYPE = 'AWS::S3::Bucket';

/**
 * CloudFormation types the local deployer applies as written in a template (beside the SAM
 * types above, which it expands first). Their properties are CloudFormation's, passed on.
 */
export const PLAIN_TYPES = new Set([
  'AWS::IAM::Role', 'AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::Permission',
  'AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentGroup',
]);

/**
 * The real types of the services the lab touches, so that a misspelt one (`AWS::S3::Buckett`) is
 * an unknown type at its line, while a real one the local cloud does not emulate is skipped with a
 * warning. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
 */
export const KNOWN_TYPES: Record<string, string[]> = {
  Serverless: ['Function', 'Api', 'HttpApi', 'SimpleTable', 'LayerVersion', 'Application', 'StateMachine', 'Connector', 'GraphQLApi'],
  Lambda: ['Function', 'Version', 'Alias', 'Permission', 'EventSourceMapping', 'EventInvokeConfig', 'LayerVersion', 'LayerVersionPermission', 'Url', 'CodeSigningConfig'],
  S3: ['Bucket', 'BucketPolicy', 'AccessPoint', 'MultiRegionAccessPoint', 'MultiRegionAccessPointPolicy', 'StorageLens', 'StorageLensGroup', 'AccessGrant', 'AccessGrantsInstance', 'AccessGrantsLocation'],
  CloudWatch: ['Alarm', 'CompositeAlarm', 'Dashboard', 'AnomalyDetector', 'InsightRule', 'MetricStream'],
  CodeDeploy: ['Application', 'DeploymentGroup', 'DeploymentConfig'],
  IAM: ['Role', 'Policy', 'ManagedPolicy', 'RolePolicy', 'User', 'UserPolicy', 'Group', 'GroupPolicy', 'InstanceProfile', 'AccessKey', 'ServiceLinkedRole', 'OIDCProvider', 'SAMLProvider', 'UserToGroupAddition', 'VirtualMFADevice', 'ServerCertificate'],
  ApiGateway: ['RestApi', 'Stage', 'Deployment', 'Resource', 'Method', 'Account', 'ApiKey', 'Authorizer', 'BasePathMapping', 'BasePathMappingV2', 'ClientCertificate', 'DocumentationPart', 'DocumentationVersion', 'DomainName', 'DomainNameV2', 'DomainNameAccessAssociation', 'GatewayResponse', 'Model', 'RequestValidator', 'UsagePlan', 'UsagePlanKey', 'VpcLink'],
};

/** `AWS::Service::Resource` (and `Custom::X`, `Alexa::ASK::Skill`) */
const TYPE_SHAPE = /^(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@-]+|Alexa::ASK::Skill)$/;

/** Why a type cannot be right, with the closest known one; undefined when it may be a real type. */
export function unknownType(type: string): { reason: string; suggestion?: string } | undefined {
  const all = Object.entries(KNOWN_TYPES).flatMap(([svc, names]) => names.map((n) => `AWS::${svc}::${n}`));
  const closest = all.map((t) => [t, distance(t.toLowerCase(), type.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
  const suggestion = closest && closest[1] <= Math.max(2, Math.floor(type.length / 8)) ? closest[0] : undefined;
  if (!TYPE_SHAPE.test(type)) return { reason: `unknown resource type ${type} (types look like AWS::Service::Resource)`, suggestion };
  const service = type.split('::')[1];
  if (type.startsWith('AWS::') && service in KNOWN_TYPES && !KNOWN_TYPES[service].includes(type.split('::')[2])) {
    return { reason: `unknown resource type ${type}: AWS::${service} has no such resource`, suggestion };
  }
  if (suggestion && suggestion !== type) return { reason: `unknown resource type ${type}`, suggestion };
  return undefined;
}

/**
 * The known name a misspelt one most likely meant (DeploymentPrefrence → DeploymentPreference,
 * timeout → Timeout): within two edits, or an eighth of its length, case aside; undefined if none.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const best = [...known].map((k) => [k, distance(k.toLowerCase(), name.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 8)) ? best[0] : undefined;
}

/** the words of a logical id, lower case and singular: AliasErrorMetricGreaterThanZeroAlarm → alias, error, metric, … */
function words(name: string): Set<string> {
  return new Set((name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toLowerCase().replace(/(?<=...)s$/, '')));
}

/**
 * The hint for a Ref or GetAtt to `name`, which the template does not define (`names`: what it
 * does define). A misspelling gets its right name, as a misspelt property does; otherwise the names
 * that share a word with it (ErrorsAlarm → AliasErrorMetricGreaterThanZeroAlarm), at most three.
 */
export function unknownNameHint(name: string, names: readonly string[], refs: boolean, isOutput = false): string {
  const what = refs ? 'no parameter or resource' : 'no resource';
  const meant = closestName(name, names);
  if (meant) return `${what} is named ${name}, so this is not a YAML problem: did you mean ${meant}? Names are spelt exactly, case included.`;
  const mine = words(name);
  const close = names
    .map((n) => [n, [...words(n)].filter((w) => mine.has(w)).length] as const)
    .filter(([, shared]) => shared > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([n]) => n);
  const closeNames = close.length ? ` (close: ${close.join(', ')})` : '';
  if (isOutput) return `${name} is an output's name (under Outputs), not a resource's, so this is not a YAML problem: name the resource the output shows${closeNames}.`;
  return `${what} is named ${name}, so this is not a YAML problem: refer to a name the template defines${closeNames}, or add a resource named ${name} under Resources.`;
}


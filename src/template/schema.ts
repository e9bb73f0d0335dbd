/**
 * Which sections, resource attributes and properties the loader knows. A property outside these
 * lists is an error that names it; a resource type outside them is reported as not emulated.
 */

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
export const EMULATED_TYPES = new Set([FUNCTION_TYPE, API_TYPE, ALARM_TYPE, BUCKET_TYPE]);

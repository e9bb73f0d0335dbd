/**
 * The Lambda service's state, as persisted, and the small interfaces it needs from other services
 * (declared here by the one that needs them; wiring.ts supplies them).
 */

/** FunctionConfiguration as AWS returns it (GetFunctionConfiguration, PublishVersion ...). */
export interface FunctionConfiguration {
  FunctionName: string;
  /** unqualified for $LATEST, `...:function:fn:N` for a version */
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  /** `2024-01-02T03:04:05.000+0000`, a plain string in the model */
  LastModified: string;
  /** base64 SHA-256 of the zip */
  CodeSha256: string;
  Version: string;
  Environment?: { Variables: Record<string, string> };
  RevisionId: string;
  /** stored Active; CreateFunction's answer says Pending (functions.ts, `creating`) */
  State: 'Pending' | 'Active';
  StateReason?: string;
  StateReasonCode?: string;
  /** stored Successful; the answer to an update says InProgress (functions.ts, `updating`) */
  LastUpdateStatus?: 'InProgress' | 'Successful';
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  /** absent in functions stored before it was emulated */
  RuntimeVersionConfig?: { RuntimeVersionArn: string };
  PackageType: 'Zip';
  Architectures: string[];
  EphemeralStorage: { Size: number };
  TracingConfig: { Mode: string };
  SnapStart: { ApplyOn: string; OptimizationStatus: string };
  LoggingConfig: { LogFormat: string; LogGroup: string };
}

export interface AliasRoutingConfiguration {
  AdditionalVersionWeights?: Record<string, number>;
}

export interface AliasConfiguration {
  AliasArn: string;
  Name: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: AliasRoutingConfiguration;
  RevisionId: string;
}

/** One function: $LATEST, its published versions, aliases and reserved concurrency. */
export interface FunctionRecord {
  latest: FunctionConfiguration;
  /** published versions by number; a snapshot of $LATEST at publish time */
  versions: Record<string, FunctionConfiguration>;
  /** next version number; never goes back, so a deleted version's number is never reused */
  nextVersion: number;
  aliases: Record<string, AliasConfiguration>;
  reservedConcurrency?: number;
  tags: Record<string, string>;
  /** $LATEST's content (contentKey) when the newest version was published from it */
  publishedFrom?: string;
  /** resource-based policies by qualifier ('' for the unqualified function): policy.ts */
  policies?: Record<string, { Statement: PolicyStatement[]; RevisionId: string }>;
}

/** One statement of a function's resource-based policy, as GetPolicy answers it. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: { StringEquals?: Record<string, string>; ArnLike?: Record<string, string> };
}

export interface LambdaStateDocument {
  format: 1;
  functions: Record<string, FunctionRecord>;
}

/**
 * Where `Code.S3Bucket/S3Key[/S3ObjectVersion]` is read from. S3 satisfies it; until it is wired,
 * CreateFunction with an S3 location answers InvalidParameterValueException.
 */
export interface CodeSource {
  /** the object's bytes, or undefined when the bucket or key does not exist */
  getObject(bucket: string, key: string, versionId?: string): Promise<Buffer | undefined> | Buffer | undefined;
}

/** AWS/Lambda metric names recorded from real invocations. */
export type LambdaMetricName = 'Invocations' | 'Errors' | 'Throttles' | 'Duration' | 'ConcurrentExecutions';

/**
 * One data point, with the invocation's dimensions: `FunctionName`; `Resource` (`fn:alias` or
 * `fn:version`) when the call was qualified; `ExecutedVersion` when it went through an alias. No
 * dimensions: the account (ConcurrentExecutions only). The sink (CloudWatch) files the point under
 * each dimension set AWS publishes for it.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export interface LambdaMetricDatum {
  metricName: LambdaMetricName;
  value: number;
  unit: 'Count' | 'Milliseconds';
  /** cloud time, epoch ms */
  timestamp: number;
  dimensions: { FunctionName: string; Resource?: string; ExecutedVersion?: string } | Record<string, never>;
}

/**
 * What Lambda needs to publish its metrics, declared here and implemented by CloudWatch (wiring.ts).
 * `record` is called on the invocation path: it must be cheap and must not throw.
 */
export interface LambdaMetricsSink {
  record(datum: LambdaMetricDatum): void;
}

/** for tests and the bench's "without metrics" figure: records nothing */
export const noopMetricsSink: LambdaMetricsSink = { record() {} };

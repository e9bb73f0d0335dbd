/**
 * The public shapes of a loaded SAM template. The local deployer codes against these.
 *
 * Values written in the template are `TemplateValue`s: plain JSON after load-time resolution of
 * Parameters, pseudo parameters, Conditions (`Fn::If`) and Mappings. What still refers to
 * resources (`{Ref: "ImagesBucket"}`, `{"Fn::GetAtt": [...]}`, `{"Fn::Sub": "...${X}..."}`) is
 * kept in CloudFormation's long form and resolved at deploy time with `SamTemplate.evaluate`.
 */

/** JSON with CloudFormation intrinsics in their long form (`Ref`, `Fn::*`, `Condition`). */
export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | TemplateValue[]
  | { [key: string]: TemplateValue };

/** 1-based line and column, as an editor shows them. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface LoadOptions {
  /** `Key=Value` overrides for the template's Parameters (as `sam deploy --parameter-overrides`). */
  parameterOverrides?: Record<string, string>;
  /** AWS::Region; default `us-east-1`. */
  region?: string;
  /** AWS::AccountId; default `123456789012`. */
  accountId?: string;
  /** AWS::StackName; default `serverless-ops-lab`. */
  stackName?: string;
}

/**
 * What the deployer supplies to resolve intrinsics that refer to resources.
 *
 * Logical ids passed in are the ones CloudFormation would see after the SAM transform
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html):
 * - `!Ref Fn.Alias` → `ref("<Fn>Alias<alias>")` (the alias ARN),
 * - `!Ref Fn.Version` → `ref("<Fn>Version")` (the published version ARN; SAM appends a code
 *   hash to this id, the deployer knows which version is current),
 * - `!GetAtt Fn.Version.Version` → `getAtt("<Fn>Version", "Version")`,
 * - `!Ref ServerlessRestApi` → the REST API id, `!Ref ServerlessRestApiProdStage` → the stage name.
 * Everything else is passed as written.
 */
export interface ResourceResolver {
  /** `Ref` of a resource: function name, bucket name, API id, alarm name, alias/version ARN… */
  ref(logicalId: string): string;
  /** `Fn::GetAtt`: `Arn`, `RootResourceId`, `Version`… */
  getAtt(logicalId: string, attribute: string): string;
}

/** An `Api` event of a function: one route on one REST API. */
export interface ApiEventSpec {
  /** the event's key under `Events` */
  name: string;
  /** as written, e.g. `/getinfo`, `/items/{id}`, `/{proxy+}` */
  path: string;
  /** upper case; `ANY` for SAM's `any` */
  method: string;
  /** logical id of the API: an `AWS::Serverless::Api` of the template, or `ServerlessRestApi` */
  restApiLogicalId: string;
}

/** https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deploymentpreference.html */
export interface DeploymentPreferenceSpec {
  /** e.g. `Linear10PercentEvery1Minute`, `Canary10Percent5Minutes`, `AllAtOnce` (without the `CodeDeployDefault.Lambda` prefix, as SAM writes it) */
  type: string;
  /** default true */
  enabled: boolean;
  /** usually `{Ref: "<Alarm>"}` values; evaluate them to alarm names */
  alarms: TemplateValue[];
  hooks: {
    /** usually `{Ref: "<HookFunction>"}` */
    preTraffic?: TemplateValue;
    postTraffic?: TemplateValue;
  };
  /** `Role`, `TriggerConfigurations`, `PassthroughCondition`: accepted, not emulated */
  other: Record<string, TemplateValue>;
}

/** An `AWS::Serverless::Function`, with `Globals.Function` merged in and SAM's defaults applied. */
export interface SamFunction {
  logicalId: string;
  /** `CodeUri` as written (relative to the template's folder) */
  codeUri: string;
  /** absolute path of the code folder */
  codeDir: string;
  /** e.g. `app.handler` */
  handler: string;
  runtime: string;
  /** seconds; SAM's default is 3 */
  timeout: number;
  /** MB; SAM's default is 128 */
  memorySize: number;
  /** `Environment.Variables`; values may still refer to resources */
  environment: Record<string, TemplateValue>;
  /** the `FunctionName` property when set (may refer to parameters only) */
  functionName?: TemplateValue;
  autoPublishAlias?: string;
  /** `<logicalId>Alias<alias>` when `autoPublishAlias` is set */
  aliasLogicalId?: string;
  /** `<logicalId>Version`, the prefix of SAM's `<logicalId>Version<hash>` */
  versionLogicalId: string;
  reservedConcurrentExecutions?: number;
  deploymentPreference?: DeploymentPreferenceSpec;
  events: ApiEventSpec[];
  description?: string;
  tracing?: string;
  architectures: string[];
  /** accepted, not emulated: the local cloud does not enforce IAM */
  policies?: TemplateValue;
  role?: TemplateValue;
  /** where the resource is declared */
  position?: SourcePosition;
}

export interface ApiRoute {
  path: string;
  method: string;
  functionLogicalId: string;
  eventName: string;
}

/** An `AWS::Serverless::Api`, or the implicit `ServerlessRestApi` that SAM creates for Api events without RestApiId. */
export interface SamApi {
  logicalId: string;
  implicit: boolean;
  stageName: string;
  /** SAM's `<logicalId><StageName>Stage`, e.g. `ServerlessRestApiProdStage` */
  stageLogicalId: string;
  /** stage variables; values may still refer to resources */
  variables: Record<string, TemplateValue>;
  /** `CanarySetting` as written (accepted; the canary step drives canaries through the API Gateway API) */
  canarySetting?: Record<string, TemplateValue>;
  name?: TemplateValue;
  routes: ApiRoute[];
  position?: SourcePosition;
}

/** An `AWS::CloudWatch::Alarm`: the properties as CloudFormation names them. */
export interface AlarmSpec {
  logicalId: string;
  properties: Record<string, TemplateValue>;
  position?: SourcePosition;
}

export interface BucketSpec {
  logicalId: string;
  /** `BucketName` when set */
  bucketName?: TemplateValue;
  properties: Record<string, TemplateValue>;
  position?: SourcePosition;
}

/** A resource (or function event) the local cloud does not emulate; the deployer lists these. */
export interface UnsupportedResource {
  logicalId: string;
  /** the resource type, or `<Type> event` for a function event of another type */
  type: string;
  position?: SourcePosition;
}

/** A CloudFormation resource of `PLAIN_TYPES`, as written (properties evaluated at load time). */
export interface PlainResource {
  logicalId: string;
  type: string;
  properties: Record<string, TemplateValue>;
  updatePolicy?: Record<string, TemplateValue>;
  position?: SourcePosition;
}

/**
 * One resource as CloudFormation sees it after the SAM transform (`transform.ts`): what the
 * local deployer provisions, in the order its references require.
 */
export interface StackResource {
  logicalId: string;
  type: string;
  /** CloudFormation's properties; references to other resources are still in long form */
  properties: Record<string, TemplateValue>;
  /** `DependsOn`, as written or as SAM generates it */
  dependsOn: string[];
  updatePolicy?: Record<string, TemplateValue>;
  /** `DeletionPolicy`: as written, or as SAM sets it (Retain on a function's versions) */
  deletionPolicy?: string;
  position?: SourcePosition;
  /** the SAM resource this one was generated from, for what CloudFormation has no property for (a local code folder) */
  from?: { function?: SamFunction; api?: SamApi; bucket?: BucketSpec };
}

export interface OutputSpec {
  name: string;
  value: TemplateValue;
  description?: string;
  exportName?: TemplateValue;
  position?: SourcePosition;
}

export interface SamTemplate {
  /** absolute path of the template file */
  file: string;
  /** absolute path of its folder (CodeUri is relative to it) */
  dir: string;
  description?: string;
  /** resolved parameter values (defaults, then overrides) */
  parameters: Record<string, string | string[]>;
  /** every condition's value */
  conditions: Record<string, boolean>;
  /** pseudo parameters in effect */
  pseudo: { region: string; accountId: string; stackName: string; partition: string; urlSuffix: string };
  /** resources whose Condition is false are left out of everything below */
  functions: SamFunction[];
  /** explicit APIs and, when any Api event lacks RestApiId, the implicit `ServerlessRestApi` */
  apis: SamApi[];
  alarms: AlarmSpec[];
  buckets: BucketSpec[];
  unsupported: UnsupportedResource[];
  /** resources of the CloudFormation types the deployer applies as written (IAM roles, CodeDeploy…) */
  plain: PlainResource[];
  /** `DependsOn` of each resource that declares it */
  dependsOn: Map<string, string[]>;
  /** `DeletionPolicy` of each resource that declares it (Delete, Retain, RetainExceptOnCreate, Snapshot) */
  deletionPolicies: Map<string, string>;
  /** outputs whose Condition is false are left out */
  outputs: OutputSpec[];
  /** resolves what is left of a value (resource refs and attributes) at deploy time */
  evaluate(value: TemplateValue, resolver: ResourceResolver): TemplateValue;
}

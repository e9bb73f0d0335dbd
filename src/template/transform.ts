/**
 * The SAM transform, as far as the lab uses it: a loaded template → the CloudFormation resources
 * SAM would generate (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html).
 *
 * - `AWS::Serverless::Function` → `<Fn>Role` (unless Role is given), the `AWS::Lambda::Function`,
 *   with AutoPublishAlias `<Fn>Version` and `<Fn>Alias<alias>`, one `<Fn><Event>Permission` per
 *   Api event, and the DeploymentPreference resources (deployment-preference.ts).
 * - `AWS::Serverless::Api` (and the implicit `ServerlessRestApi`) → the `AWS::ApiGateway::RestApi`
 *   and its `<Api><Stage>Stage`. SAM also writes a swagger Body and an `AWS::ApiGateway::Deployment`;
 *   here the stage carries the routes (from the SAM spec) and deploys them, so it depends on every
 *   function or alias its routes invoke.
 * - Where SAM appends a hash to the version's logical id (`<Fn>Version<sha10>`) we keep
 *   `<Fn>Version`: the deployer publishes only when the code or configuration changed, which is
 *   what the hash stands for.
 */
import { aliasUpdatePolicy, deploymentPreferenceResources } from './deployment-preference.js';
import type { SamApi, SamFunction, SamTemplate, StackResource, TemplateValue } from './types.js';

type Obj = { [k: string]: TemplateValue };

export function toStackResources(t: SamTemplate): StackResource[] {
  const out: StackResource[] = [];
  for (const f of t.functions) out.push(...functionResources(f));
  for (const api of t.apis) out.push(...apiResources(api, t));
  for (const b of t.buckets) {
    out.push({ logicalId: b.logicalId, type: 'AWS::S3::Bucket', properties: b.properties, dependsOn: [], position: b.position, from: { bucket: b } });
  }
  for (const a of t.alarms) out.push({ logicalId: a.logicalId, type: 'AWS::CloudWatch::Alarm', properties: a.properties, dependsOn: [], position: a.position });
  for (const p of t.plain) {
    const r: StackResource = { logicalId: p.logicalId, type: p.type, properties: p.properties, dependsOn: [], position: p.position };
    if (p.updatePolicy) r.updatePolicy = p.updatePolicy;
    out.push(r);
  }
  out.push(...deploymentPreferenceResources(t.functions, t.pseudo.partition));
  for (const r of out) r.dependsOn.push(...(t.dependsOn.get(r.logicalId) ?? []));
  // DeletionPolicy as written; a function's passes through to its version, which SAM otherwise
  // sets to Retain (samtranslator/model/sam_resources.py, _construct_version: `if "DeletionPolicy"
  // not in attributes: attributes["DeletionPolicy"] = "Retain"`)
  for (const r of out) {
    const own = t.deletionPolicies.get(r.logicalId);
    const fn = r.type === 'AWS::Lambda::Version' ? t.functions.find((f) => f.versionLogicalId === r.logicalId) : undefined;
    const policy = own ?? (fn ? t.deletionPolicies.get(fn.logicalId) : undefined);
    if (policy !== undefined) r.deletionPolicy = policy;
  }
  // declaration order (the deployer's tie-break among resources that are ready together)
  const line = (r: StackResource) => r.position?.line ?? Number.MAX_SAFE_INTEGER;
  return out.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => line(a) - line(b) || i - j).map(([r]) => r);
}

function functionResources(f: SamFunction): StackResource[] {
  const out: StackResource[] = [];
  const at = { position: f.position };
  if (f.role === undefined) {
    // SAM's generated execution role; the local cloud records it and does not enforce IAM.
    out.push({
      logicalId: `${f.logicalId}Role`,
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }],
        },
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        ...(f.policies !== undefined ? { Policies: f.policies } : {}),
      },
      dependsOn: [],
      ...at,
    });
  }
  const props: Obj = {
    Handler: f.handler,
    Runtime: f.runtime,
    Timeout: f.timeout,
    MemorySize: f.memorySize,
    Environment: { Variables: f.environment },
    Role: f.role ?? { 'Fn::GetAtt': [`${f.logicalId}Role`, 'Arn'] },
    Architectures: f.architectures,
  };
  if (f.functionName !== undefined) props.FunctionName = f.functionName;
  if (f.description !== undefined) props.Description = f.description;
  if (f.reservedConcurrentExecutions !== undefined) props.ReservedConcurrentExecutions = f.reservedConcurrentExecutions;
  out.push({ logicalId: f.logicalId, type: 'AWS::Lambda::Function', properties: props, dependsOn: [], ...at, from: { function: f } });

  if (f.autoPublishAlias !== undefined) {
    out.push({ logicalId: f.versionLogicalId, type: 'AWS::Lambda::Version', properties: { FunctionName: { Ref: f.logicalId } }, dependsOn: [], deletionPolicy: 'Retain', ...at });
    const alias: StackResource = {
      logicalId: f.aliasLogicalId!,
      type: 'AWS::Lambda::Alias',
      properties: { Name: f.autoPublishAlias, FunctionName: { Ref: f.logicalId }, FunctionVersion: { 'Fn::GetAtt': [f.versionLogicalId, 'Version'] } },
      dependsOn: [],
      ...at,
    };
    const policy = aliasUpdatePolicy(f);
    if (policy) alias.updatePolicy = policy;
    out.push(alias);
  }
  for (const e of f.events) {
    const path = e.path.replace(/\{[^}]+\}/g, '*');
    const method = e.method === 'ANY' ? '*' : e.method;
    out.push({
      logicalId: `${f.logicalId}${e.name}Permission`,
      type: 'AWS::Lambda::Permission',
      properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: f.aliasLogicalId ?? f.logicalId },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: { 'Fn::Sub': [`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/\${__Stage__}/${method}${path}`, { __ApiId__: { Ref: e.restApiLogicalId }, __Stage__: '*' }] },
      },
      dependsOn: [],
      ...at,
    });
  }
  return out;
}

function apiResources(api: SamApi, t: SamTemplate): StackResource[] {
  const at = api.position ? { position: api.position } : {};
  const targets = new Set(api.routes.map((r) => t.functions.find((f) => f.logicalId === r.functionLogicalId)?.aliasLogicalId ?? r.functionLogicalId));
  return [
    {
      logicalId: api.logicalId,
      type: 'AWS::ApiGateway::RestApi',
      properties: api.name !== undefined ? { Name: api.name } : {},
      dependsOn: [],
      ...at,
      from: { api },
    },
    {
      logicalId: api.stageLogicalId,
      type: 'AWS::ApiGateway::Stage',
      properties: { RestApiId: { Ref: api.logicalId }, StageName: api.stageName, Variables: api.variables },
      dependsOn: [...targets],
      ...at,
      from: { api },
    },
  ];
}

/**
 * The deploy record of the aws target, read from what CloudFormation says about the stack after
 * `sam deploy`: its outputs (DescribeStacks) and its resources (DescribeStackResources), in the
 * shape the local deployer writes, so that the steps and `status` find the same things on both
 * targets. Pure: the SDK calls are the caller's (sam.ts).
 *
 * Physical ids are what `Ref` returns for each type (CloudFormation resource reference):
 * a function's name, a version's or an alias's ARN, a REST API's id, a stage's name, a CodeDeploy
 * application's or deployment group's name, an alarm's name. The logical ids that tie them
 * together are SAM's: `<Api><StageName>Stage`, `<Function>DeploymentGroup`,
 * `ServerlessDeploymentApplication` (aws/codedeploy-cloudwatch-sam.md A.1).
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
 */
import type { Output, StackResource } from '@aws-sdk/client-cloudformation';
import { CODEDEPLOY_APPLICATION_ID } from '../../template/deployment-preference.js';
import { IMPLICIT_API_ID, IMPLICIT_API_STAGE } from '../../template/sam.js';
import type { ApiRecord, DeployRecord, FunctionRecord } from '../deploy-record.js';

export interface StackDescription {
  stackName: string;
  /** the stack's ARN (DescribeStacks StackId): the partition and account of the functions' ARNs */
  stackId?: string;
  region: string;
  profile?: string;
  outputs: Output[];
  resources: StackResource[];
  deployedAt: Date;
}

/** arn:partition:lambda:region:account:function:name[:qualifier] → its parts */
function lambdaArn(arn: string): { name: string; qualifier?: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
  return { name: parts[6], qualifier: parts[7] };
}

/** SAM writes the stage name into the stage's logical id with only its letters and digits. */
const stageLogicalId = (apiLogicalId: string, stageName: string) => `${apiLogicalId}${stageName.replace(/[^A-Za-z0-9]/g, '')}Stage`;

export function recordFromStack(s: StackDescription): DeployRecord {
  const outputs: Record<string, string> = {};
  for (const o of s.outputs) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? '';

  const resources = s.resources.filter((r): r is StackResource & { LogicalResourceId: string; PhysicalResourceId: string } => !!r.LogicalResourceId && !!r.PhysicalResourceId);
  const ofType = (type: string) => resources.filter((r) => r.ResourceType === type);
  const physicalIds: Record<string, string> = {};
  for (const r of resources) physicalIds[r.LogicalResourceId] = r.PhysicalResourceId;

  // arn:aws:cloudformation:eu-west-1:123456789012:stack/name/id → partition, region, account
  const [, partition, , stackRegion, account] = (s.stackId ?? s.resources.find((r) => r.StackId)?.StackId ?? '').split(':');
  const fnArn = (name: string) => (partition && account ? `arn:${partition}:lambda:${stackRegion || s.region}:${account}:function:${name}` : '');

  const functions: FunctionRecord[] = ofType('AWS::Lambda::Function').map((r) => {
    const f: FunctionRecord = { logicalId: r.LogicalResourceId, name: r.PhysicalResourceId, arn: fnArn(r.PhysicalResourceId), codeSha256: '' };
    // With AutoPublishAlias the stack holds the version it published last (older ones are retained
    // outside it); a successful deploy leaves the alias on it, CodeDeploy or not.
    const versions = ofType('AWS::Lambda::Version')
      .map((v) => lambdaArn(v.PhysicalResourceId))
      .filter((v) => v?.name === f.name && v.qualifier && /^\d+$/.test(v.qualifier))
      .map((v) => Number(v!.qualifier));
    if (versions.length) f.version = String(Math.max(...versions));
    const alias = ofType('AWS::Lambda::Alias').find((a) => lambdaArn(a.PhysicalResourceId)?.name === f.name);
    if (alias) {
      f.alias = lambdaArn(alias.PhysicalResourceId)!.qualifier;
      f.aliasArn = alias.PhysicalResourceId;
    }
    const group = physicalIds[`${r.LogicalResourceId}DeploymentGroup`];
    if (group) f.deploymentGroupName = group;
    return f;
  });

  const stages = ofType('AWS::ApiGateway::Stage');
  const apis: ApiRecord[] = ofType('AWS::ApiGateway::RestApi').map((r) => {
    const stage =
      stages.find((st) => st.LogicalResourceId === stageLogicalId(r.LogicalResourceId, st.PhysicalResourceId))?.PhysicalResourceId ??
      (r.LogicalResourceId === IMPLICIT_API_ID ? IMPLICIT_API_STAGE : stages.find((st) => st.LogicalResourceId.startsWith(r.LogicalResourceId))?.PhysicalResourceId);
    // SAM's deployment of the API: <api-LogicalId>Deployment<sha> ("CloudFormation resources generated
    // when AWS::Serverless::Api is specified", SAM developer guide); its physical id is the deployment id
    const deployment = ofType('AWS::ApiGateway::Deployment').find((d) => new RegExp(`^${r.LogicalResourceId}Deployment[0-9a-f]*$`).test(d.LogicalResourceId))?.PhysicalResourceId;
    // shapeHash is the local deployer's own bookkeeping; CloudFormation decides redeployments here
    return { logicalId: r.LogicalResourceId, restApiId: r.PhysicalResourceId, stage: stage ?? IMPLICIT_API_STAGE, shapeHash: '', ...(deployment ? { deploymentId: deployment } : {}) };
  });

  const applications = ofType('AWS::CodeDeploy::Application');
  const application = (applications.find((a) => a.LogicalResourceId === CODEDEPLOY_APPLICATION_ID) ?? applications[0])?.PhysicalResourceId;
  const alarms = ofType('AWS::CloudWatch::Alarm').map((a) => a.PhysicalResourceId);

  return {
    schema: 1,
    target: 'aws',
    region: s.region,
    ...(s.profile !== undefined ? { profile: s.profile } : {}),
    stackName: s.stackName,
    deployedAt: s.deployedAt.toISOString(),
    outputs,
    physicalIds,
    functions,
    apis,
    ...(application ? { codeDeployApplication: application } : {}),
    ...(alarms.length ? { alarms } : {}),
  };
}

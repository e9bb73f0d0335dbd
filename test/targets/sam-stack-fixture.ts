/**
 * What CloudFormation says, after `sam deploy` of templates/hooks-alarm, in DescribeStacks' and
 * DescribeStackResources' shapes: the resources SAM generates for a function with
 * AutoPublishAlias, DeploymentPreference and an implicit API (sam-specification-generated-resources),
 * with the physical ids `Ref` gives for each type.
 */
import type { Output, StackResource } from '@aws-sdk/client-cloudformation';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const STACK_NAME = 'ServerlessOps-stack';
export const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/5f0c7a10-1b2c-11ef-9c3d-0a1b2c3d4e5f`;
export const FUNCTION_NAME = 'ServerlessOps-stack-GetInfoFunction-AbCdEf123456';
export const BUCKET = 'serverlessops-stack-imagesbucket-1a2b3c4d5e6f';
export const REST_API_ID = 'a1b2c3d4e5';

export const OUTPUTS: Output[] = [
  { OutputKey: 'ApiUrl', OutputValue: `https://${REST_API_ID}.execute-api.${REGION}.amazonaws.com/Prod/getinfo` },
  { OutputKey: 'FunctionName', OutputValue: FUNCTION_NAME },
  { OutputKey: 'ImagesBucket', OutputValue: BUCKET },
];

const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** [logical id, type, physical id] */
const ROWS: [string, string, string][] = [
  ['AliasErrorMetricGreaterThanZeroAlarm', 'AWS::CloudWatch::Alarm', 'ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-9XyZ8WvU7TsR'],
  ['CodeDeployServiceRole', 'AWS::IAM::Role', 'ServerlessOps-stack-CodeDeployServiceRole-QwErTy123456'],
  ['GetInfoFunction', 'AWS::Lambda::Function', FUNCTION_NAME],
  ['GetInfoFunctionAliaslive', 'AWS::Lambda::Alias', `${fnArn(FUNCTION_NAME)}:live`],
  ['GetInfoFunctionDeploymentGroup', 'AWS::CodeDeploy::DeploymentGroup', 'ServerlessOps-stack-GetInfoFunctionDeploymentGroup-ZxCvBn987654'],
  ['GetInfoFunctionGetInfoPermissionProd', 'AWS::Lambda::Permission', 'ServerlessOps-stack-GetInfoFunctionGetInfoPermissionProd-LkJhGf543210'],
  ['GetInfoFunctionRole', 'AWS::IAM::Role', 'ServerlessOps-stack-GetInfoFunctionRole-PoIuYt098765'],
  ['GetInfoFunctionVersion3c1e7a9b2d', 'AWS::Lambda::Version', `${fnArn(FUNCTION_NAME)}:4`],
  ['ImagesBucket', 'AWS::S3::Bucket', BUCKET],
  ['PreTrafficHook', 'AWS::Lambda::Function', 'CodeDeployHook_preTrafficHook'],
  ['PreTrafficHookRole', 'AWS::IAM::Role', 'ServerlessOps-stack-PreTrafficHookRole-MnBvCx135790'],
  ['ServerlessDeploymentApplication', 'AWS::CodeDeploy::Application', 'ServerlessOps-stack-ServerlessDeploymentApplication-AsDfGh246810'],
  ['ServerlessRestApi', 'AWS::ApiGateway::RestApi', REST_API_ID],
  ['ServerlessRestApiDeployment7d1f3c5a2b', 'AWS::ApiGateway::Deployment', 'x9y8z7'],
  ['ServerlessRestApiProdStage', 'AWS::ApiGateway::Stage', 'Prod'],
];

export const RESOURCES: StackResource[] = ROWS.map(([LogicalResourceId, ResourceType, PhysicalResourceId]) => ({
  StackName: STACK_NAME,
  StackId: STACK_ID,
  LogicalResourceId,
  PhysicalResourceId,
  ResourceType,
  Timestamp: new Date('2026-12-02T09:00:00Z'),
  ResourceStatus: 'UPDATE_COMPLETE',
}));

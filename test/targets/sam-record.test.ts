/**
 * The aws target's deploy record, from what CloudFormation says about the stack: no AWS account
 * here, so the mapping is checked on DescribeStacks/DescribeStackResources-shaped input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordFromStack } from '../../src/targets/deployers/sam-record.js';
import { ACCOUNT, BUCKET, FUNCTION_NAME, OUTPUTS, REGION, RESOURCES, REST_API_ID, STACK_ID, STACK_NAME } from './sam-stack-fixture.js';

const deployedAt = new Date('2026-12-02T09:01:02.003Z');

test('the record names the function with its ARN, version and alias, the API and stage, CodeDeploy and the alarms', () => {
  const rec = recordFromStack({ stackName: STACK_NAME, stackId: STACK_ID, region: REGION, profile: 'workshop', outputs: OUTPUTS, resources: RESOURCES, deployedAt });
  assert.deepEqual(rec, {
    schema: 1,
    target: 'aws',
    region: REGION,
    profile: 'workshop',
    stackName: STACK_NAME,
    deployedAt: '2026-12-02T09:01:02.003Z',
    outputs: { ApiUrl: `https://${REST_API_ID}.execute-api.${REGION}.amazonaws.com/Prod/getinfo`, FunctionName: FUNCTION_NAME, ImagesBucket: BUCKET },
    physicalIds: Object.fromEntries(RESOURCES.map((r) => [r.LogicalResourceId, r.PhysicalResourceId])),
    functions: [
      {
        logicalId: 'GetInfoFunction',
        name: FUNCTION_NAME,
        arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}`,
        codeSha256: '',
        version: '4',
        alias: 'live',
        aliasArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}:live`,
        deploymentGroupName: 'ServerlessOps-stack-GetInfoFunctionDeploymentGroup-ZxCvBn987654',
      },
      { logicalId: 'PreTrafficHook', name: 'CodeDeployHook_preTrafficHook', arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:CodeDeployHook_preTrafficHook`, codeSha256: '' },
    ],
    apis: [{ logicalId: 'ServerlessRestApi', restApiId: REST_API_ID, stage: 'Prod', shapeHash: '', deploymentId: 'x9y8z7' }],
    codeDeployApplication: 'ServerlessOps-stack-ServerlessDeploymentApplication-AsDfGh246810',
    alarms: ['ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-9XyZ8WvU7TsR'],
  });
});

test('the bundled app before blue/green: no CodeDeploy, no alarms; the account comes from the resources when DescribeStacks gave no StackId', () => {
  const bare = RESOURCES.filter((r) => !/DeploymentGroup|Application|Alarm|PreTraffic|CodeDeployServiceRole/.test(r.ResourceType! + r.LogicalResourceId!));
  const rec = recordFromStack({ stackName: STACK_NAME, region: REGION, outputs: OUTPUTS, resources: bare, deployedAt });
  assert.equal(rec.codeDeployApplication, undefined);
  assert.equal(rec.alarms, undefined);
  assert.equal('profile' in rec, false);
  assert.deepEqual(rec.functions.map((f) => [f.name, f.arn, f.version, f.alias, f.deploymentGroupName]), [
    [FUNCTION_NAME, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}`, '4', 'live', undefined],
  ]);
  assert.deepEqual(rec.apis, [{ logicalId: 'ServerlessRestApi', restApiId: REST_API_ID, stage: 'Prod', shapeHash: '', deploymentId: 'x9y8z7' }]);
});

test('an explicit API with its own stage name; another partition; resources without a physical id yet are left out', () => {
  const stackId = `arn:aws-cn:cloudformation:cn-north-1:${ACCOUNT}:stack/lab/1`;
  const rec = recordFromStack({
    stackName: 'lab',
    stackId,
    region: 'cn-north-1',
    outputs: [],
    resources: [
      { LogicalResourceId: 'MyApi', ResourceType: 'AWS::ApiGateway::RestApi', PhysicalResourceId: 'q1w2e3', StackName: 'lab', Timestamp: deployedAt, ResourceStatus: 'CREATE_COMPLETE' },
      { LogicalResourceId: 'MyApiv2Stage', ResourceType: 'AWS::ApiGateway::Stage', PhysicalResourceId: 'v2', StackName: 'lab', Timestamp: deployedAt, ResourceStatus: 'CREATE_COMPLETE' },
      { LogicalResourceId: 'Fn', ResourceType: 'AWS::Lambda::Function', PhysicalResourceId: 'lab-Fn-1', StackName: 'lab', Timestamp: deployedAt, ResourceStatus: 'CREATE_COMPLETE' },
      { LogicalResourceId: 'Pending', ResourceType: 'AWS::Lambda::Function', StackName: 'lab', Timestamp: deployedAt, ResourceStatus: 'CREATE_IN_PROGRESS' },
    ],
    deployedAt,
  });
  assert.deepEqual(rec.apis, [{ logicalId: 'MyApi', restApiId: 'q1w2e3', stage: 'v2', shapeHash: '' }]);
  assert.deepEqual(rec.functions, [{ logicalId: 'Fn', name: 'lab-Fn-1', arn: `arn:aws-cn:lambda:cn-north-1:${ACCOUNT}:function:lab-Fn-1`, codeSha256: '' }]);
  assert.deepEqual(Object.keys(rec.physicalIds), ['MyApi', 'MyApiv2Stage', 'Fn']);
});

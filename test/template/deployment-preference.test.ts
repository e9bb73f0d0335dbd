/**
 * SAM's DeploymentPreference expansion on fixed inputs, against what SAM's translator generates
 * (tests/translator/output/function_with_deployment_preference_all_parameters.json, quoted in
 * codedeploy-cloudwatch-sam.md §A.5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toStackResources } from '../../src/template/index.js';
import { load, sam } from './helpers.js';

const FN = (name: string, pref: string, extra = '') => `  ${name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      AutoPublishAlias: live
${pref}${extra}`;

const ALL_PARAMETERS = sam(`${FN('MinimalFunction', `      DeploymentPreference:
        Enabled: true
        Type: Linear10PercentEvery1Minute
        Hooks: {PreTraffic: !Ref MySanityTestFunction, PostTraffic: !Ref MyValidationTestFunction}
        Alarms: [!Ref MyCloudWatchAlarm]
        TriggerConfigurations:
          - {TriggerEvents: [DeploymentSuccess, DeploymentFailure], TriggerName: TestTrigger, TriggerTargetArn: arn:aws:sns:us-east-1:123456789012:t}
`)}
${FN('MySanityTestFunction', '      DeploymentPreference: {Enabled: false, Type: AllAtOnce}\n', '      FunctionName: CodeDeployHook_sanity\n')}
${FN('MyValidationTestFunction', '      DeploymentPreference: {Enabled: false, Type: AllAtOnce}\n', '      FunctionName: CodeDeployHook_validation\n')}
  MyCloudWatchAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties: {ComparisonOperator: GreaterThanThreshold, EvaluationPeriods: 1, MetricName: Errors, Namespace: AWS/Lambda, Period: 60, Statistic: Sum, Threshold: 0}
`);

const byId = (text: string) => new Map(toStackResources(load(text)).map((r) => [r.logicalId, r]));

test('all parameters: application, service role, deployment group and the alias update policy, as SAM writes them', () => {
  const r = byId(ALL_PARAMETERS);
  assert.deepEqual(r.get('ServerlessDeploymentApplication')!.properties, { ComputePlatform: 'Lambda' });
  assert.equal(r.get('ServerlessDeploymentApplication')!.type, 'AWS::CodeDeploy::Application');
  const role = r.get('CodeDeployServiceRole')!;
  assert.equal(role.type, 'AWS::IAM::Role');
  assert.deepEqual(role.properties, {
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['codedeploy.amazonaws.com'] } }] },
    ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda'],
  });
  const group = r.get('MinimalFunctionDeploymentGroup')!;
  assert.equal(group.type, 'AWS::CodeDeploy::DeploymentGroup');
  assert.deepEqual(group.properties, {
    AlarmConfiguration: { Alarms: [{ Name: { Ref: 'MyCloudWatchAlarm' } }], Enabled: true },
    ApplicationName: { Ref: 'ServerlessDeploymentApplication' },
    AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
    DeploymentConfigName: { 'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: 'Linear10PercentEvery1Minute' }] },
    DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
    ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] },
    TriggerConfigurations: [{ TriggerEvents: ['DeploymentSuccess', 'DeploymentFailure'], TriggerName: 'TestTrigger', TriggerTargetArn: 'arn:aws:sns:us-east-1:123456789012:t' }],
  });
  assert.ok(!('DeploymentGroupName' in group.properties), 'CloudFormation names the group');
  const alias = r.get('MinimalFunctionAliaslive')!;
  assert.deepEqual(alias.properties, { Name: 'live', FunctionName: { Ref: 'MinimalFunction' }, FunctionVersion: { 'Fn::GetAtt': ['MinimalFunctionVersion', 'Version'] } });
  assert.deepEqual(alias.updatePolicy, {
    CodeDeployLambdaAliasUpdate: {
      AfterAllowTrafficHook: { Ref: 'MyValidationTestFunction' },
      ApplicationName: { Ref: 'ServerlessDeploymentApplication' },
      BeforeAllowTrafficHook: { Ref: 'MySanityTestFunction' },
      DeploymentGroupName: { Ref: 'MinimalFunctionDeploymentGroup' },
    },
  });
  assert.equal(r.get('MinimalFunctionVersion')!.deletionPolicy, 'Retain');
  // the hooks have Enabled: false: no group, no update policy
  assert.ok(!r.has('MySanityTestFunctionDeploymentGroup'));
  assert.equal(r.get('MySanityTestFunctionAliaslive')!.updatePolicy, undefined);
});

test('disabled everywhere: no CodeDeploy resources and no update policy (function_with_disabled_deployment_preference)', () => {
  const r = byId(sam(FN('F', '      DeploymentPreference: {Enabled: false, Type: AllAtOnce}\n')));
  assert.deepEqual([...r.values()].map((x) => x.type).sort(), ['AWS::IAM::Role', 'AWS::Lambda::Alias', 'AWS::Lambda::Function', 'AWS::Lambda::Version']);
  assert.equal(r.get('FAliaslive')!.updatePolicy, undefined);
  // "false" as a string counts as false too
  assert.ok(!byId(sam(FN('F', '      DeploymentPreference: {Enabled: "false", Type: AllAtOnce}\n'))).has('ServerlessDeploymentApplication'));
});

test('no alarms: no AlarmConfiguration; a custom configuration name passes through; no hooks: no hook keys', () => {
  const r = byId(sam(FN('F', '      DeploymentPreference: {Type: MyCustomConfig}\n')));
  const g = r.get('FDeploymentGroup')!.properties;
  assert.ok(!('AlarmConfiguration' in g));
  assert.equal(g.DeploymentConfigName, 'MyCustomConfig');
  assert.deepEqual(r.get('FAliaslive')!.updatePolicy, {
    CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: 'ServerlessDeploymentApplication' }, DeploymentGroupName: { Ref: 'FDeploymentGroup' } },
  });
});

test('every enabled preference with its own Role: no CodeDeployServiceRole, the Role verbatim', () => {
  const r = byId(sam(FN('F', '      DeploymentPreference: {Type: AllAtOnce, Role: arn:aws:iam::123456789012:role/mine}\n')));
  assert.ok(!r.has('CodeDeployServiceRole'));
  assert.equal(r.get('FDeploymentGroup')!.properties.ServiceRoleArn, 'arn:aws:iam::123456789012:role/mine');
  assert.deepEqual(r.get('FDeploymentGroup')!.properties.DeploymentConfigName, { 'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: 'AllAtOnce' }] });
});

test('two functions with preferences: one application, one role, one group each', () => {
  const r = [...byId(sam(`${FN('A', '      DeploymentPreference: {Type: AllAtOnce}\n')}\n${FN('B', '      DeploymentPreference: {Type: Canary10Percent5Minutes}\n')}`)).values()];
  assert.equal(r.filter((x) => x.type === 'AWS::CodeDeploy::Application').length, 1);
  assert.equal(r.filter((x) => x.logicalId === 'CodeDeployServiceRole').length, 1);
  assert.deepEqual(r.filter((x) => x.type === 'AWS::CodeDeploy::DeploymentGroup').map((x) => x.logicalId), ['ADeploymentGroup', 'BDeploymentGroup']);
});

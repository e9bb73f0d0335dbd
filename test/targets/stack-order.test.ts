/**
 * The local deployer's order and resolver as pure functions: references (Ref, GetAtt, Sub,
 * DependsOn, UpdatePolicy) decide the order; a cycle, a typo in a type and a reference to a
 * resource the local cloud skips are errors with their position, before anything is deployed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toStackResources, TemplateError } from '../../src/template/index.js';
import { provisioningOrder, referencesOf } from '../../src/targets/deployers/local/graph.js';
import { StackResolver } from '../../src/targets/deployers/local/resolver.js';
import { load, sam, throwsAt } from '../template/helpers.js';

const APP = sam(`  HookFn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: hooks/, Handler: pre.handler, Runtime: nodejs22.x, FunctionName: CodeDeployHook_pre }
  GetInfoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      AutoPublishAlias: live
      Environment: { Variables: { IMAGES_BUCKET: !Ref ImagesBucket } }
      DeploymentPreference:
        Type: Linear10PercentEvery1Minute
        Alarms: [!Ref NewVersionErrors]
        Hooks: { PreTraffic: !Ref HookFn }
      Events:
        GetInfo: { Type: Api, Properties: { Path: /getinfo, Method: post } }
  NewVersionErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      MetricName: Errors
      Namespace: AWS/Lambda
      Period: 60
      Statistic: Sum
      Threshold: 0
      Dimensions:
        - { Name: Resource, Value: !Sub "\${GetInfoFunction}:live" }
        - { Name: FunctionName, Value: !Ref GetInfoFunction }
        - { Name: ExecutedVersion, Value: !GetAtt GetInfoFunction.Version.Version }
  ImagesBucket:
    Type: AWS::S3::Bucket
`);

test('references: Ref, GetAtt, the names in a Sub (not its own variables, not ${!literal}, not pseudo parameters)', () => {
  const known = new Set(['A', 'B', 'C', 'FnVersion', 'Fn']);
  const refs = referencesOf({ x: [{ Ref: 'A' }, { 'Fn::GetAtt': ['B', 'Arn'] }], s: { 'Fn::Sub': ['${C}/${AWS::Region}/${!A}/${v}/${Fn.Version.Version}', { v: 'x' }] } }, known);
  assert.deepEqual([...refs].sort(), ['A', 'B', 'C', 'FnVersion']);
});

test('order: each resource after what it refers to; the alias after its deployment group, alarm and hook; the stage last', () => {
  const order = provisioningOrder(toStackResources(load(APP)), new Map()).map((o) => o.resource.logicalId);
  const before = (a: string, b: string) => assert.ok(order.indexOf(a) < order.indexOf(b), `${a} before ${b} in ${order.join(' ')}`);
  before('ImagesBucket', 'GetInfoFunction');
  before('GetInfoFunctionRole', 'GetInfoFunction');
  before('GetInfoFunction', 'GetInfoFunctionVersion');
  before('GetInfoFunctionVersion', 'NewVersionErrors');
  before('NewVersionErrors', 'GetInfoFunctionDeploymentGroup');
  before('CodeDeployServiceRole', 'GetInfoFunctionDeploymentGroup');
  before('ServerlessDeploymentApplication', 'GetInfoFunctionDeploymentGroup');
  before('GetInfoFunctionDeploymentGroup', 'GetInfoFunctionAliaslive');
  before('HookFn', 'GetInfoFunctionAliaslive');
  before('GetInfoFunctionAliaslive', 'ServerlessRestApiProdStage');
  before('ServerlessRestApi', 'GetInfoFunctionGetInfoPermission');
  assert.equal(order.length, new Set(order).size);
});

test('the resolver gives each reference what its resource returned: alarm dimensions resolved', () => {
  const t = load(APP);
  const r = new StackResolver(t);
  r.set('GetInfoFunction', { type: 'AWS::Lambda::Function', physicalId: 'lab-GetInfoFunction-X', attributes: { Arn: 'arn:fn' } });
  r.set('GetInfoFunctionVersion', { type: 'AWS::Lambda::Version', physicalId: 'arn:fn:2', attributes: { Version: '2' } });
  assert.deepEqual(r.evaluate(t.alarms[0].properties.Dimensions), [
    { Name: 'Resource', Value: 'lab-GetInfoFunction-X:live' },
    { Name: 'FunctionName', Value: 'lab-GetInfoFunction-X' },
    { Name: 'ExecutedVersion', Value: '2' },
  ]);
  assert.throws(() => r.evaluate({ 'Fn::GetAtt': ['GetInfoFunction', 'Nope'] }), /AWS::Lambda::Function has no attribute Nope in the local cloud/);
  assert.throws(() => r.evaluate({ Ref: 'ImagesBucket' }), /ImagesBucket is not created by the local deployer at this point/);
});

test('DependsOn orders too, and a cycle is CloudFormation\'s circular dependency error', () => {
  const t = sam(`  A:
    Type: AWS::S3::Bucket
    DependsOn: B
  B:
    Type: AWS::S3::Bucket
`);
  assert.deepEqual(provisioningOrder(toStackResources(load(t)), new Map()).map((o) => o.resource.logicalId), ['B', 'A']);
  const cyc = sam(`  A:
    Type: AWS::S3::Bucket
    DependsOn: B
  B:
    Type: AWS::S3::Bucket
    Properties: { BucketName: !Ref A }
`);
  assert.throws(() => provisioningOrder(toStackResources(load(cyc)), new Map()), (e: TemplateError) => e instanceof TemplateError && /Circular dependency between resources: \[A, B\]/.test(e.message));
  throwsAt(() => load(sam('  A:\n    Type: AWS::S3::Bucket\n    DependsOn: Nope\n')), 6, 5, /DependsOn "Nope" is not a resource of this template/);
});

test('a typo in a resource type is an unknown type at its line, with the closest one; a real type not emulated is skipped', () => {
  throwsAt(() => load(sam('  B:\n    Type: AWS::S3::Buckett\n')), 5, 5, /resource B: unknown resource type AWS::S3::Buckett: AWS::S3 has no such resource/);
  try {
    load(sam('  Fn:\n    Type: AWS::Serverless::Funtion\n'));
    assert.fail('no error');
  } catch (e) {
    assert.equal((e as TemplateError).hint, 'did you mean AWS::Serverless::Function?');
  }
  throwsAt(() => load(sam('  B:\n    Type: AWS::S3:Bucket\n')), 5, 5, /unknown resource type AWS::S3:Bucket \(types look like AWS::Service::Resource\)/);
  throwsAt(() => load(sam('  A:\n    Type: AWS::CloudWach::Alarm\n')), 5, 5, /unknown resource type AWS::CloudWach::Alarm/);
  const t = load(sam('  T:\n    Type: AWS::DynamoDB::Table\n  Q:\n    Type: Custom::Thing\n'));
  assert.deepEqual(t.unsupported.map((u) => u.type), ['AWS::DynamoDB::Table', 'Custom::Thing']);
});

test('a reference to a resource the local cloud skips fails before anything is deployed, at the resource using it', () => {
  const t = load(sam(`  T:
    Type: AWS::DynamoDB::Table
  B:
    Type: AWS::S3::Bucket
    Properties: { BucketName: !Ref T }
`));
  assert.throws(
    () => provisioningOrder(toStackResources(t), new Map(t.unsupported.map((u) => [u.logicalId, u.type]))),
    /template\.yaml:7:5: B refers to T \(AWS::DynamoDB::Table\), which the local cloud does not emulate/,
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPLICIT_API_ID } from '../../src/template/index.js';
import { echo, load, sam, throwsAt } from './helpers.js';

const GLOBALS = `Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 10
    MemorySize: 256
    Handler: app.handler
    Environment:
      Variables:
        STAGE: prod
        SHARED: global
    Tags:
      team: ops
    Architectures: [x86_64]
  Api:
    Variables:
      mode: live
`;

test('Globals merge: primitives overridden, maps merged, lists concatenated, SAM defaults otherwise', () => {
  const t = load(sam(`  A:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Timeout: 30
      Environment:
        Variables:
          SHARED: local
          OWN: yes
  B:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: other/
      Handler: index.main
      Runtime: nodejs20.x
`, GLOBALS));
  const [a, b] = t.functions;
  assert.equal(a.timeout, 30);
  assert.equal(a.memorySize, 256);
  assert.equal(a.runtime, 'nodejs22.x');
  assert.deepEqual(a.environment, { STAGE: 'prod', SHARED: 'local', OWN: 'yes' });
  assert.equal(a.codeDir, '/lab/sam-app/src');
  assert.equal(b.handler, 'index.main');
  assert.equal(b.runtime, 'nodejs20.x');
  assert.equal(b.timeout, 10);
  assert.deepEqual(b.environment, { STAGE: 'prod', SHARED: 'global' });

  const lists = load(sam(`  A:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: a.h, Runtime: nodejs22.x, Architectures: [arm64] }
`, 'Globals:\n  Function:\n    Architectures: [x86_64]\n'));
  assert.deepEqual(lists.functions[0].architectures, ['x86_64', 'arm64']);

  const defaults = load(sam('  A:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: src, Handler: a.h, Runtime: nodejs22.x }\n'));
  assert.equal(defaults.functions[0].timeout, 3);
  assert.equal(defaults.functions[0].memorySize, 128);
  assert.deepEqual(defaults.functions[0].environment, {});
});

test('implicit API: Api events without RestApiId go to ServerlessRestApi, stage Prod, with Globals.Api', () => {
  const t = load(sam(`  GetInfoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      AutoPublishAlias: live
      Events:
        GetInfo:
          Type: Api
          Properties: { Path: /getinfo, Method: post }
        Any:
          Type: Api
          Properties: { Path: '/{proxy+}', Method: any }
        Nightly:
          Type: Schedule
          Properties: { Schedule: rate(1 day) }
`, GLOBALS + 'Outputs:\n  Url:\n    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/getinfo"\n  Stage:\n    Value: !Ref ServerlessRestApiProdStage\n'));
  assert.equal(t.apis.length, 1);
  const api = t.apis[0];
  assert.equal(api.logicalId, IMPLICIT_API_ID);
  assert.equal(api.implicit, true);
  assert.equal(api.stageName, 'Prod');
  assert.equal(api.stageLogicalId, 'ServerlessRestApiProdStage');
  assert.deepEqual(api.variables, { mode: 'live' });
  assert.deepEqual(api.routes, [
    { path: '/getinfo', method: 'POST', functionLogicalId: 'GetInfoFunction', eventName: 'GetInfo' },
    { path: '/{proxy+}', method: 'ANY', functionLogicalId: 'GetInfoFunction', eventName: 'Any' },
  ]);
  assert.deepEqual(t.functions[0].events.map((e) => e.restApiLogicalId), [IMPLICIT_API_ID, IMPLICIT_API_ID]);
  assert.deepEqual(t.unsupported.map((u) => [u.logicalId, u.type]), [['GetInfoFunction.Events.Nightly', 'Schedule event']]);
  assert.equal(t.evaluate(t.outputs[0].value, echo), 'https://<ServerlessRestApi>.execute-api.us-east-1.amazonaws.com/Prod/getinfo');
  assert.equal(t.evaluate(t.outputs[1].value, echo), '<ServerlessRestApiProdStage>');
});

test('explicit AWS::Serverless::Api with RestApiId, StageName, Variables, CanarySetting; no implicit API', () => {
  const t = load(sam(`  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Variables: { lambdaAlias: live }
      CanarySetting: { PercentTraffic: 10 }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties: { Path: /getinfo, Method: POST, RestApiId: !Ref Api }
`, GLOBALS + 'Parameters:\n  Stage: { Type: String, Default: beta }\n'));
  assert.deepEqual(t.apis.map((a) => [a.logicalId, a.implicit, a.stageName, a.stageLogicalId]), [['Api', false, 'beta', 'ApibetaStage']]);
  assert.deepEqual(t.apis[0].variables, { mode: 'live', lambdaAlias: 'live' });
  assert.deepEqual(t.apis[0].canarySetting, { PercentTraffic: 10 });
  assert.equal(t.apis[0].routes[0].functionLogicalId, 'Fn');
});

test('AutoPublishAlias, DeploymentPreference with alarms and hooks, alarms, Fn.Alias and Fn.Version refs', () => {
  const t = load(sam(`  GetInfoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      AutoPublishAlias: live
      ReservedConcurrentExecutions: 25
      DeploymentPreference:
        Type: Linear10PercentEvery1Minute
        Alarms:
          - !Ref AliasErrors
        Hooks:
          PreTraffic: !Ref PreTrafficHook
          PostTraffic: !Ref PostTrafficHook
  PreTrafficHook:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hooks/
      Handler: pre.handler
      FunctionName: CodeDeployHook_preTrafficHook
      DeploymentPreference: { Enabled: false, Type: AllAtOnce }
      AutoPublishAlias: live
      Policies:
        - Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Action: [codedeploy:PutLifecycleEventHookExecutionStatus]
              Resource: '*'
      Environment:
        Variables:
          NewVersion: !Ref GetInfoFunction.Version
  PostTrafficHook:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: hooks/, Handler: post.handler, FunctionName: CodeDeployHook_postTrafficHook }
  AliasErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Errors on the live alias
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 2
      MetricName: Errors
      Namespace: AWS/Lambda
      Period: 60
      Statistic: Sum
      Threshold: 0
      Dimensions:
        - Name: Resource
          Value: !Sub "\${GetInfoFunction}:live"
        - Name: FunctionName
          Value: !Ref GetInfoFunction
        - Name: ExecutedVersion
          Value: !GetAtt GetInfoFunction.Version.Version
  ExtraTable:
    Type: AWS::DynamoDB::Table
    Properties: { Anything: goes }
`, GLOBALS + 'Outputs:\n  Alias:\n    Value: !Ref GetInfoFunction.Alias\n'));
  const fn = t.functions.find((f) => f.logicalId === 'GetInfoFunction')!;
  assert.equal(fn.autoPublishAlias, 'live');
  assert.equal(fn.aliasLogicalId, 'GetInfoFunctionAliaslive');
  assert.equal(fn.versionLogicalId, 'GetInfoFunctionVersion');
  assert.equal(fn.reservedConcurrentExecutions, 25);
  const pref = fn.deploymentPreference!;
  assert.equal(pref.type, 'Linear10PercentEvery1Minute');
  assert.equal(pref.enabled, true);
  assert.deepEqual(pref.alarms.map((a) => t.evaluate(a, echo)), ['<AliasErrors>']);
  assert.equal(t.evaluate(pref.hooks.preTraffic!, echo), '<PreTrafficHook>');
  assert.equal(t.evaluate(pref.hooks.postTraffic!, echo), '<PostTrafficHook>');
  const hook = t.functions.find((f) => f.logicalId === 'PreTrafficHook')!;
  assert.equal(hook.functionName, 'CodeDeployHook_preTrafficHook');
  assert.equal(hook.deploymentPreference!.enabled, false);
  assert.equal(t.evaluate(hook.environment.NewVersion, echo), '<GetInfoFunctionVersion>');
  assert.equal(t.evaluate(t.outputs[0].value, echo), '<GetInfoFunctionAliaslive>');
  const alarm = t.alarms[0];
  assert.equal(alarm.logicalId, 'AliasErrors');
  assert.deepEqual(t.evaluate(alarm.properties.Dimensions, echo), [
    { Name: 'Resource', Value: '<GetInfoFunction>:live' },
    { Name: 'FunctionName', Value: '<GetInfoFunction>' },
    { Name: 'ExecutedVersion', Value: '<GetInfoFunctionVersion.Version>' },
  ]);
  assert.deepEqual(t.unsupported.map((u) => [u.logicalId, u.type]), [['ExtraTable', 'AWS::DynamoDB::Table']]);
  assert.equal(t.apis.length, 0);
});

test('resources whose Condition is false are left out', () => {
  const t = load(sam(`  Fn:
    Type: AWS::Serverless::Function
    Condition: WithFunction
    Properties: { CodeUri: src/, Events: { E: { Type: Api, Properties: { Path: /x, Method: get } } } }
  Bucket:
    Type: AWS::S3::Bucket
`, GLOBALS + 'Parameters:\n  WithFn: { Type: String, Default: "no", AllowedValues: ["yes", "no"] }\nConditions:\n  WithFunction: !Equals [!Ref WithFn, "yes"]\n'));
  assert.equal(t.functions.length, 0);
  assert.equal(t.apis.length, 0);
  assert.equal(t.buckets.length, 1);
  const on = load(sam('  Fn:\n    Type: AWS::Serverless::Function\n    Condition: C\n    Properties: { CodeUri: src/ }\n', GLOBALS + 'Conditions:\n  C: !Equals [a, a]\n'));
  assert.equal(on.functions.length, 1);
});

test('unknown properties of known types are errors naming the property and the resource, with position', () => {
  throwsAt(() => load(sam('  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Timeot: 10\n', GLOBALS)),
    24, 7, /Fn \(AWS::Serverless::Function\): unknown property Timeot/);
  throwsAt(() => load(sam('  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketNam: x\n')), 7, 7, /B \(AWS::S3::Bucket\): unknown property BucketNam/);
  throwsAt(() => load(sam('  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Treshold: 1\n')), 7, 7, /A \(AWS::CloudWatch::Alarm\): unknown property Treshold/);
  throwsAt(() => load(sam('  A:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n      Stage: x\n')), 8, 7, /A \(AWS::Serverless::Api\): unknown property Stage/);
  throwsAt(() => load(sam('  B:\n    Type: AWS::S3::Bucket\n    Propertes: {}\n')), 6, 5, /resource B: unknown attribute Propertes/);
  // a typo names the property it meant (case aside), and the fix is the hint
  const typo = throwsAt(() => load(sam('  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      timeout: 10\n', GLOBALS)),
    24, 7, /Fn \(AWS::Serverless::Function\): unknown property timeout: did you mean Timeout\?/);
  assert.equal(typo.hint, 'names are spelt exactly, case included: write Timeout');
  throwsAt(() => load(sam('  B:\n    Type: AWS::S3::Bucket\n', 'Globals:\n  Function:\n    Policies: []\n')), 4, 5, /Globals.Function: unknown Globals property Policies/);
  throwsAt(() => load(sam(`  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Events:
        E:
          Type: Api
          Properties: { Path: /x, Method: get, Auth: {} }
`, GLOBALS)), 27, 48, /Fn event E Properties: unknown property Auth/);
  throwsAt(() => load(sam(`  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      DeploymentPreference:
        Type: AllAtOnce
`, GLOBALS)), 24, 7, /DeploymentPreference requires AutoPublishAlias/);
  throwsAt(() => load(sam('  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Timeout: lots\n', GLOBALS)),
    24, 7, /Timeout must be an integer, got "lots"/);
});

test('SAM resources without the Transform, and a function without CodeUri, are errors', () => {
  assert.throws(() => load('Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {}\n'), /need "Transform: AWS::Serverless-2016-10-31"/);
  throwsAt(() => load(sam('  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.b, Runtime: nodejs22.x }\n')), 6, 17, /CodeUri is required/);
  throwsAt(() => load(sam('  F:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: s, Handler: a.b, Runtime: python3.12 }\n')), 6, 45, /Runtime python3.12 is not emulated/);
});

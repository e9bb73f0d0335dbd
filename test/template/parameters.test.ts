import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, sam, throwsAt, FILE } from './helpers.js';
import { TemplateError } from '../../src/template/index.js';

const BUCKET = '  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "${Prefix}-${AWS::AccountId}"\n';
const PARAMS = `Parameters:
  Prefix:
    Type: String
    Default: lab
    AllowedPattern: "[a-z-]+"
  Memory:
    Type: Number
    Default: 256
    MinValue: 128
    MaxValue: 1024
  Stages:
    Type: CommaDelimitedList
    Default: "dev, prod"
    AllowedValues: [dev, prod, test]
  Size:
    Type: String
    Default: small
    AllowedValues: [small, large]
`;

test('parameters: defaults, overrides, types; refs resolved at load time', () => {
  const t = load(sam(BUCKET, PARAMS + 'Outputs:\n  Mem:\n    Value: !Ref Memory\n  First:\n    Value: !Select [0, !Ref Stages]\n'), { accountId: '111122223333' });
  assert.deepEqual(t.parameters, { Prefix: 'lab', Memory: '256', Stages: ['dev', 'prod'], Size: 'small' });
  assert.equal(t.buckets[0].bucketName, 'lab-111122223333');
  assert.deepEqual(t.outputs.map((o) => o.value), ['256', 'dev']);
  const o = load(sam(BUCKET, PARAMS), { parameterOverrides: { Prefix: 'ops', Memory: '512', Stages: 'test', Size: 'large' } });
  assert.deepEqual(o.parameters, { Prefix: 'ops', Memory: '512', Stages: ['test'], Size: 'large' });
  assert.equal(o.buckets[0].bucketName, 'ops-123456789012');
});

test('a Number parameter feeds a typed function property', () => {
  const t = load(sam('  F:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: s, Handler: a.b, Runtime: nodejs22.x, MemorySize: !Ref Memory, Timeout: !FindInMap [T, !Ref Size, s] }\n',
    PARAMS + 'Mappings:\n  T:\n    small: { s: 10 }\n    large: { s: 30 }\n'));
  assert.equal(t.functions[0].memorySize, 256);
  assert.equal(t.functions[0].timeout, 10);
});

test('bad parameter values: the message names the parameter and points at its Default or declaration', () => {
  throwsAt(() => load(sam(BUCKET, PARAMS), { parameterOverrides: { Memory: 'lots' } }), 7, 3, /parameter Memory \(override\): "lots" is not a number/);
  throwsAt(() => load(sam(BUCKET, PARAMS), { parameterOverrides: { Memory: '64' } }), 7, 3, /64 is below MinValue 128/);
  throwsAt(() => load(sam(BUCKET, PARAMS), { parameterOverrides: { Size: 'huge' } }), 16, 3, /"huge" is not one of AllowedValues \[small, large\]/);
  throwsAt(() => load(sam(BUCKET, PARAMS), { parameterOverrides: { Stages: 'dev,qa' } }), 12, 3, /"qa" is not one of AllowedValues/);
  throwsAt(() => load(sam(BUCKET, PARAMS), { parameterOverrides: { Prefix: 'Upper' } }), 3, 3, /does not match AllowedPattern/);
  throwsAt(() => load(sam(BUCKET, PARAMS.replace('Default: small', 'Default: medium'))), 18, 5, /parameter Size: "medium" is not one of AllowedValues/);
  throwsAt(() => load(sam(BUCKET, PARAMS), { parameterOverrides: { Nope: 'x' } }), 2, 1, /override "Nope": the template declares no such parameter/);
  throwsAt(() => load(sam(BUCKET, 'Parameters:\n  Prefix: { Type: String }\n')), 3, 3, /parameter Prefix has no value/);
  throwsAt(() => load(sam(BUCKET, 'Parameters:\n  Prefix: { Type: Strin, Default: x }\n')), 3, 13, /unknown Type Strin/);
});

test('conditions: unknown or self-referring conditions are errors; outputs with a false Condition are left out', () => {
  const t = load(sam(BUCKET, PARAMS + 'Conditions:\n  Large: !Equals [!Ref Size, large]\nOutputs:\n  A:\n    Condition: Large\n    Value: big\n  B:\n    Value: always\n    Export: { Name: !Sub "${AWS::StackName}-B" }\n'));
  assert.deepEqual(t.outputs.map((o) => [o.name, o.value, o.exportName]), [['B', 'always', 'serverless-ops-lab-B']]);
  throwsAt(() => load(sam(BUCKET, PARAMS + 'Conditions:\n  Loop: !Not [!Condition Loop]\n')), 21, 3, /condition Loop refers to itself/);
  throwsAt(() => load(sam(BUCKET, PARAMS + 'Outputs:\n  A:\n    Value: !If [Missing, a, b]\n')), 22, 12, /unknown condition "Missing"/);
  throwsAt(() => load(sam('  B:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n')), 6, 5, /Condition "Nope" is not declared/);
});

test('malformed YAML and a bad template shape point at line and column', () => {
  // at the mis-indented key itself, with the indentation its mapping has (test/template/indentation)
  throwsAt(() => load('Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: {}\n'), 4, 4, /invalid template: Properties: is indented 3 spaces; the other keys of its mapping are indented 4 spaces \(Type: on line 3\)/);
  throwsAt(() => load('Resources:\n  B: { Type: AWS::S3::Bucket\n'), 3, 1, /invalid template/);
  throwsAt(() => load('Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n'), 4, 3, /invalid template: Map keys must be unique/);
  throwsAt(() => load('Resource:\n  B:\n    Type: AWS::S3::Bucket\n'), 1, 1, /unknown template section Resource/);
  assert.throws(() => load('- a\n- b\n'), (e: unknown) => e instanceof TemplateError && /a template must be a mapping/.test(e.message));
});

test('JSON templates load too, with positions', () => {
  const json = JSON.stringify({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      F: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'src/', Handler: 'app.handler', Runtime: 'nodejs22.x', Timeout: 10 } },
      B: { Type: 'AWS::S3::Bucket' },
    },
    Outputs: { Name: { Value: { Ref: 'F' } }, Arn: { Value: { 'Fn::GetAtt': ['B', 'Arn'] } } },
  }, null, 2);
  const t = load(json);
  assert.equal(t.functions[0].timeout, 10);
  assert.deepEqual(t.outputs.map((o) => o.value), [{ Ref: 'F' }, { 'Fn::GetAtt': ['B', 'Arn'] }]);
  const bad = json.replace('"Timeout"', '"Timeuot"');
  const err = throwsAt(() => load(bad), 10, 9, /unknown property Timeuot/);
  assert.equal(err.file, FILE);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/template/index.js';
import { echo, load, outputValue, sam, throwsAt } from './helpers.js';

const both = (short: string, long: string, expected: unknown, resolved?: unknown) => {
  const a = outputValue(short);
  const b = outputValue(long);
  assert.deepEqual(a, expected, `short form ${short}`);
  assert.deepEqual(b, expected, `long form ${long}`);
  if (resolved !== undefined) assert.deepEqual(evaluate(a, echo), resolved);
};

test('Ref: resources are kept, parameters and pseudo parameters resolved', () => {
  both('!Ref Bucket', '{ Ref: Bucket }', { Ref: 'Bucket' }, '<Bucket>');
  both('!Ref AWS::Region', '{ Ref: "AWS::Region" }', 'us-east-1');
  assert.equal(outputValue('!Ref AWS::AccountId', { accountId: '111122223333' }), '111122223333');
  assert.equal(outputValue('!Ref AWS::StackName', { stackName: 'ops' }), 'ops');
  assert.equal(outputValue('!Ref AWS::Partition', { region: 'cn-north-1' }), 'aws-cn');
  assert.equal(outputValue('!Ref AWS::URLSuffix', { region: 'cn-north-1' }), 'amazonaws.com.cn');
  assert.equal(outputValue('!Ref AWS::URLSuffix'), 'amazonaws.com');
});

test('GetAtt: A.B and list forms; the attribute may contain dots', () => {
  both('!GetAtt Bucket.Arn', '{ "Fn::GetAtt": [Bucket, Arn] }', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, '<Bucket.Arn>');
  assert.deepEqual(outputValue('!GetAtt [Bucket, Arn]'), { 'Fn::GetAtt': ['Bucket', 'Arn'] });
  assert.deepEqual(outputValue('!GetAtt Bucket.A.B'), { 'Fn::GetAtt': ['Bucket', 'A.B'] });
});

test('Sub: string and [string, vars] forms, pseudo parameters, Res.Attr and ${!Literal}', () => {
  both('!Sub "arn:${AWS::Partition}:s3:::x-${AWS::Region}"', '{ "Fn::Sub": "arn:${AWS::Partition}:s3:::x-${AWS::Region}" }', 'arn:aws:s3:::x-us-east-1');
  const kept = outputValue('!Sub "${Bucket}/${Bucket.Arn}/${AWS::Region}/${!Literal}"');
  assert.deepEqual(kept, { 'Fn::Sub': '${Bucket}/${Bucket.Arn}/us-east-1/${!Literal}' });
  assert.equal(evaluate(kept, echo), '<Bucket>/<Bucket.Arn>/us-east-1/${Literal}');
  assert.equal(outputValue('!Sub "cost ${!Price} in ${AWS::Region}"'), 'cost ${Price} in us-east-1');
  assert.equal(outputValue('!Sub ["${A}-${B}", { A: x, B: !Ref AWS::Region }]'), 'x-us-east-1');
  const withVars = outputValue('!Sub ["${Name}.${AWS::Region}", { Name: !Ref Bucket }]');
  assert.deepEqual(withVars, { 'Fn::Sub': ['${Name}.us-east-1', { Name: { Ref: 'Bucket' } }] });
  assert.equal(evaluate(withVars, echo), '<Bucket>.us-east-1');
  assert.equal(outputValue('{ "Fn::Sub": ["${A}", { A: b }] }'), 'b');
});

test('Join, Select, Split, Base64, GetAZs, FindInMap: computed when literal', () => {
  both('!Join [":", [a, b, !Ref AWS::Region]]', '{ "Fn::Join": [":", [a, b, { Ref: "AWS::Region" }]] }', 'a:b:us-east-1');
  both('!Select [1, [a, b, c]]', '{ "Fn::Select": ["1", [a, b, c]] }', 'b');
  both('!Split [",", "a,b"]', '{ "Fn::Split": [",", "a,b"] }', ['a', 'b']);
  both('!Select [2, !Split ["-", "x-y-z"]]', '{ "Fn::Select": [2, { "Fn::Split": ["-", "x-y-z"] }] }', 'z');
  both('!Base64 hello', '{ "Fn::Base64": hello }', 'aGVsbG8=');
  both('!GetAZs ""', '{ "Fn::GetAZs": "" }', ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  assert.equal(outputValue('!Select [0, !GetAZs eu-west-1]'), 'eu-west-1a');
  const maps = 'Mappings:\n  Sizes:\n    us-east-1: { Memory: 512 }\n';
  const t = load(sam('  Bucket:\n    Type: AWS::S3::Bucket\n', `${maps}Outputs:\n  A:\n    Value: !FindInMap [Sizes, !Ref AWS::Region, Memory]\n  B:\n    Value: { "Fn::FindInMap": [Sizes, us-east-1, Memory] }\n`));
  assert.deepEqual(t.outputs.map((o) => o.value), [512, 512]);
});

test('Join over a resource reference is kept, then resolved at deploy time', () => {
  const v = outputValue('!Join ["", ["s3://", !Ref Bucket, /x]]');
  assert.deepEqual(v, { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/x']] });
  assert.equal(evaluate(v, echo), 's3://<Bucket>/x');
});

test('If, Equals, Not, And, Or, Condition: short and long forms', () => {
  const conds = [
    'Parameters:',
    '  Env: { Type: String, Default: prod }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Env, prod]',
    '  IsProdLong: { "Fn::Equals": [{ Ref: Env }, prod] }',
    '  NotProd: !Not [!Condition IsProd]',
    '  NotProdLong: { "Fn::Not": [{ Condition: IsProd }] }',
    '  Both: !And [!Condition IsProd, !Condition IsProdLong]',
    '  BothLong: { "Fn::And": [{ Condition: IsProd }, { "Fn::Equals": [a, a] }] }',
    '  Either: !Or [!Condition NotProd, !Equals [x, x]]',
    '  EitherLong: { "Fn::Or": [{ Condition: NotProd }, { Condition: NotProdLong }] }',
    'Outputs:',
    '  Short: { Value: !If [IsProd, yes, no] }',
    '  Long: { Value: { "Fn::If": [NotProd, yes, no] } }',
  ].join('\n');
  const t = load(sam('  Bucket:\n    Type: AWS::S3::Bucket\n', conds));
  assert.deepEqual(t.conditions, {
    IsProd: true, IsProdLong: true, NotProd: false, NotProdLong: false, Both: true, BothLong: true, Either: true, EitherLong: false,
  });
  assert.deepEqual(t.outputs.map((o) => o.value), ['yes', 'no']);
  const dev = load(sam('  Bucket:\n    Type: AWS::S3::Bucket\n', conds), { parameterOverrides: { Env: 'dev' } });
  assert.equal(dev.conditions.IsProd, false);
  assert.deepEqual(dev.outputs.map((o) => o.value), ['no', 'yes']);
});

test('If with AWS::NoValue drops the property or list item', () => {
  const text = sam(
    '  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !If [Never, named, !Ref AWS::NoValue]\n      Tags:\n        - !If [Never, { Key: a, Value: b }, !Ref AWS::NoValue]\n        - { Key: c, Value: d }\n',
    'Conditions:\n  Never: !Equals [a, b]\n',
  );
  const b = load(text).buckets[0];
  assert.equal(b.bucketName, undefined);
  assert.deepEqual(b.properties, { Tags: [{ Key: 'c', Value: 'd' }] });
});

test('ImportValue is kept at load time and needs a resolver at deploy time', () => {
  const v = outputValue('!ImportValue shared-vpc');
  assert.deepEqual(v, { 'Fn::ImportValue': 'shared-vpc' });
  assert.equal(evaluate(v, { ...echo, importValue: (n: string) => `import:${n}` }), 'import:shared-vpc');
  assert.throws(() => evaluate(v, echo), /ImportValue.*not emulated/);
  assert.deepEqual(outputValue('{ "Fn::ImportValue": { "Fn::Sub": "${AWS::Region}-x" } }'), { 'Fn::ImportValue': 'us-east-1-x' });
});

test('unknown tag, misshapen tag and unknown Ref name point at line and column', () => {
  throwsAt(() => outputValue('!Reff Bucket'), 5, 12, /unknown tag !Reff/);
  throwsAt(() => outputValue('!Join "a,b"'), 5, 12, /!Join expects a list, not a string/);
  throwsAt(() => outputValue('!Ref [Bucket]'), 5, 12, /!Ref expects a string/);
  throwsAt(() => outputValue('!Ref Buckett'), 5, 12, /Ref to "Buckett": no parameter or resource/);
  throwsAt(() => outputValue('!GetAtt Nope.Arn'), 5, 12, /GetAtt of "Nope"/);
  throwsAt(() => outputValue('!Sub "${Nope}"'), 5, 12, /Ref to "Nope"/);
  throwsAt(() => outputValue('!Select [5, [a]]'), 5, 12, /index 5 is out of range/);
});

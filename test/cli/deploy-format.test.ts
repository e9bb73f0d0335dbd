/** `deploy`'s stdout on fixed inputs: the change table, the outputs, the endpoint, colour only when asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDeployResult } from '../../src/commands/deploy.js';
import type { DeployResult } from '../../src/targets/deployers/types.js';

const result: DeployResult = {
  target: 'local',
  endpoint: 'http://127.0.0.1:40689',
  outputs: { ApiUrl: 'http://127.0.0.1:40689/execute-api/abc/Prod/getinfo', FunctionName: 'fn' },
  changes: [
    { logicalId: 'GetInfoFunction', type: 'AWS::Lambda::Function', physicalId: 'fn', change: 'updated', detail: 'version 2 (no new version); reserved concurrency 25 → removed' },
    { logicalId: 'ImagesBucket', type: 'AWS::S3::Bucket', physicalId: 'b', change: 'unchanged' },
  ],
  warnings: [],
};

test('a reserved concurrency change sits on the function row, in the table shape', () => {
  const out = formatDeployResult(result);
  assert.match(out, /^ {2}updated {3}AWS::Lambda::Function {8}GetInfoFunction fn — version 2 \(no new version\); reserved concurrency 25 → removed$/m);
  assert.match(out, /^ {2}unchanged AWS::S3::Bucket {14}ImagesBucket b$/m);
});

test('the endpoint is printed with the outputs; none for a target without one', () => {
  assert.match(formatDeployResult(result), /^Outputs:\nApiUrl: \S+\nFunctionName: fn\nEndpoint: http:\/\/127\.0\.0\.1:40689\n$/m);
  assert.doesNotMatch(formatDeployResult({ ...result, target: 'aws', endpoint: undefined }), /Endpoint:/);
});

test('colour only when asked for, and the columns stay aligned', () => {
  assert.doesNotMatch(formatDeployResult(result), /\x1b\[/);
  const coloured = formatDeployResult(result, { color: true });
  assert.match(coloured, /\x1b\[33mupdated  \x1b\[39m AWS::Lambda::Function/);
  // eslint-disable-next-line no-control-regex
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), formatDeployResult(result));
});

test("the CodeDeploy line names Lambda's versions as such (app version 2 can be Lambda version 3), as the lab's texts do", () => {
  const out = formatDeployResult({ ...result, deployments: [{ deploymentId: 'd-ABCDEFGHI', functionName: 'fn', alias: 'live', from: '2', to: '3' }] });
  assert.match(out, /^CodeDeploy deployment started: d-ABCDEFGHI \(fn:live, Lambda version 2 → 3\)$/m);
});

test("on an 80-column terminal the change table's rows and the outputs go on at words under an indent, a physical id never cut mid-word; piped, a line a row", () => {
  const wide: DeployResult = {
    ...result,
    outputs: { ErrorsAlarm: 'ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-L2198G9TA4HK', FunctionName: 'ServerlessOps-stack-GetInfoFunction-XH8ZYUB1RYM4' },
    changes: [
      { logicalId: 'ImagesBucket', type: 'AWS::S3::Bucket', physicalId: 'serverlessops-stack-imagesbucket-hyl29e7idf54', change: 'unchanged' },
      {
        logicalId: 'GetInfoFunctionDeploymentGroup',
        type: 'AWS::CodeDeploy::DeploymentGroup',
        physicalId: 'ServerlessOps-stack-GetInfoFunctionDeploymentGroup-KCXZYXXVT11O',
        change: 'unchanged',
        detail: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute; alarms ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-L2198G9TA4HK',
      },
    ],
    deployments: [{ deploymentId: 'd-WHVNQ7NGN', functionName: 'ServerlessOps-stack-GetInfoFunction-XH8ZYUB1RYM4', alias: 'live', from: '2', to: '6' }],
  };
  const piped = formatDeployResult(wide);
  for (const colour of [false, true]) {
    const out = formatDeployResult(wide, { width: 80, color: colour }).replace(/\x1b\[\d+m/g, '');
    const lines = out.replace(/\n$/, '').split('\n');
    for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}\n${out}`);
    // every word of the piped text is there, whole: only the breaks between words moved
    assert.deepEqual(out.split(/\s+/).filter(Boolean), piped.split(/\s+/).filter(Boolean));
    assert.ok(lines.includes('  unchanged AWS::S3::Bucket                  ImagesBucket'), out);
    assert.ok(lines.includes('      serverlessops-stack-imagesbucket-hyl29e7idf54'), out);
    assert.ok(lines.includes('ErrorsAlarm:') && lines.includes('  ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-L2198G9TA4HK'), out);
  }
  assert.match(piped, /^ {2}unchanged AWS::S3::Bucket {18}ImagesBucket serverlessops-stack-imagesbucket-hyl29e7idf54$/m);
});

test("on an 80-column terminal the alias's ARN (86 columns) is cut after a `:`, never mid-word; a URL wider than the line stays whole", () => {
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:ServerlessOps-stack-GetInfoFunction-IUEPQGFOX6DP:live';
  const url = `https://${'x'.repeat(60)}.execute-api.eu-west-1.amazonaws.com/Prod/getinfo`;
  const r: DeployResult = {
    ...result,
    outputs: { ApiUrl: url },
    changes: [{ logicalId: 'GetInfoFunctionAliaslive', type: 'AWS::Lambda::Alias', physicalId: arn, change: 'created', detail: 'on Lambda version 1' }],
  };
  const out = formatDeployResult(r, { width: 80 });
  const lines = out.replace(/\n$/, '').split('\n');
  for (const l of lines) if (!l.includes(url)) assert.ok(l.length <= 80, `over 80 columns: ${l}\n${out}`);
  const at = lines.findIndex((l) => l.trim().startsWith('arn:'));
  assert.ok(at > 0, out);
  // its pieces, each ending at a `:` but the last, under the row's indent, make the ARN again
  const pieces = [lines[at]!.trim(), lines[at + 1]!.trim().split(' ')[0]!];
  assert.ok(pieces[0]!.endsWith(':'), out);
  assert.equal(pieces.join(''), arn, out);
  assert.ok(lines.includes(`  ${url}`), `the URL whole on a line of its own:\n${out}`);
});

test('what left the template: deleted in red, retained in yellow, in the table shape', () => {
  const removed: DeployResult = {
    ...result,
    changes: [
      { logicalId: 'GetInfoFunctionDeploymentGroup', type: 'AWS::CodeDeploy::DeploymentGroup', physicalId: 'g', change: 'deleted', detail: 'removed from the template' },
      { logicalId: 'GetInfoFunctionVersion', type: 'AWS::Lambda::Version', physicalId: 'v', change: 'retained', detail: 'removed from the template; DeletionPolicy Retain keeps it in the cloud' },
    ],
  };
  const out = formatDeployResult(removed);
  assert.match(out, /^ {2}deleted {3}AWS::CodeDeploy::DeploymentGroup GetInfoFunctionDeploymentGroup g — removed from the template$/m);
  assert.match(out, /^ {2}retained {2}AWS::Lambda::Version {13}GetInfoFunctionVersion v — removed from the template; DeletionPolicy Retain keeps it in the cloud$/m);
  const coloured = formatDeployResult(removed, { color: true });
  assert.match(coloured, /\x1b\[31mdeleted {2}\x1b\[39m AWS::CodeDeploy::DeploymentGroup/);
  assert.match(coloured, /\x1b\[33mretained \x1b\[39m AWS::Lambda::Version/);
});

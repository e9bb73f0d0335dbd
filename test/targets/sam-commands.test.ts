import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCommand, samBuildCommand, samDeployCommand } from '../../src/targets/sam-commands.js';

test('sam build is run as is', () => {
  assert.deepEqual(samBuildCommand(), { file: 'sam', args: ['build'] });
});

test('sam deploy: stack name, CAPABILITY_IAM, managed bucket, no prompt, empty change set is fine', () => {
  assert.deepEqual(samDeployCommand({ stackName: 'ServerlessOps-stack' }).args, [
    'deploy',
    '--stack-name',
    'ServerlessOps-stack',
    '--capabilities',
    'CAPABILITY_IAM',
    '--resolve-s3',
    '--no-confirm-changeset',
    '--no-fail-on-empty-changeset',
  ]);
});

test('sam deploy: region and profile appended only when given', () => {
  const c = samDeployCommand({ stackName: 'lab', region: 'eu-west-1', profile: 'workshop' });
  assert.equal(c.file, 'sam');
  assert.deepEqual(c.args.slice(-4), ['--region', 'eu-west-1', '--profile', 'workshop']);
  assert.equal(
    formatCommand(c),
    'sam deploy --stack-name lab --capabilities CAPABILITY_IAM --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1 --profile workshop',
  );
  assert.ok(!samDeployCommand({ stackName: 'lab', profile: 'p' }).args.includes('--region'));
});

test('formatCommand quotes what a shell would split', () => {
  assert.equal(formatCommand({ file: 'sam', args: ['deploy', '--profile', "my profile's"] }), `sam deploy --profile 'my profile'\\''s'`);
});

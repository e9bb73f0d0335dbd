/**
 * Whether the aws CLI would find a region and credentials: the lab tells a learner how to set
 * them before printing the first command.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCliConfig } from '../../src/targets/aws-cli-config.js';

const home = mkdtempSync(join(tmpdir(), 'sol-awscli-'));
after(() => rmSync(home, { recursive: true, force: true }));

function files(credentials: string | undefined, config: string | undefined): string {
  const dir = mkdtempSync(join(home, 'h-'));
  mkdirSync(join(dir, '.aws'));
  if (credentials !== undefined) writeFileSync(join(dir, '.aws', 'credentials'), credentials);
  if (config !== undefined) writeFileSync(join(dir, '.aws', 'config'), config);
  return dir;
}

test('nothing configured: neither', async () => {
  assert.deepEqual(await awsCliConfig({}, files(undefined, undefined)), { credentials: false, region: false });
});

test('the environment: keys and AWS_DEFAULT_REGION; AWS_REGION alone is not read by the CLI v1', async () => {
  const h = files(undefined, undefined);
  assert.deepEqual(await awsCliConfig({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_DEFAULT_REGION: 'us-east-1' }, h), { credentials: true, region: true });
  assert.deepEqual(await awsCliConfig({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1' }, h), { credentials: true, region: false });
  assert.deepEqual(await awsCliConfig({ AWS_ACCESS_KEY_ID: 'a' }, h), { credentials: false, region: false }, 'a key id without its secret');
});

test('the shared files, for the default profile and for AWS_PROFILE', async () => {
  const h = files('[default]\naws_access_key_id = A\naws_secret_access_key = B\n', '[default]\nregion = eu-west-1\n\n[profile lab]\nregion=us-west-2\nsso_session = corp\n');
  assert.deepEqual(await awsCliConfig({}, h), { credentials: true, region: true });
  assert.deepEqual(await awsCliConfig({ AWS_PROFILE: 'lab' }, h), { credentials: true, region: true }, 'SSO gets its own keys');
  assert.deepEqual(await awsCliConfig({ AWS_PROFILE: 'other' }, h), { credentials: false, region: false });
});

test('a credentials file without a region still lacks the region', async () => {
  const h = files('[default]\naws_access_key_id=A\naws_secret_access_key=B\n', undefined);
  assert.deepEqual(await awsCliConfig({}, h), { credentials: true, region: false });
});

/**
 * `deploy --target aws` up to the point where it would call sam: there is no AWS account here,
 * so these check the preflight messages the learner sees (the command lines are checked in
 * test/target/sam-commands.test.ts), plus the option checks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

let dir: string;
let bin: string;
let home: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sol-aws-'));
  bin = join(dir, 'bin');
  home = join(dir, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  // a `sam` that would fail the test if it were ever run
  writeFileSync(join(bin, 'sam'), '#!/bin/sh\necho "sam must not run in this test" >&2\nexit 99\n');
  chmodSync(join(bin, 'sam'), 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** No AWS_* variables, an empty HOME, no instance metadata. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) e[k] = v;
  return {
    ...e,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

const ws = () => join(dir, 'ws');

test('no sam on PATH: one message with how to install it, exit 1, workspace untouched', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--region', 'us-east-1'], { env: env({ PATH: join(dir, 'empty') }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: the AWS SAM CLI \(`sam`\) is not on PATH$/m);
  assert.match(r.stderr, /install-sam-cli/);
  assert.ok(!existsSync(ws()));
});

test('no region: one message with how to set one, exit 1', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws()], { env: env({ PATH: bin }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: no AWS region is set$/m);
  assert.match(r.stderr, /--region/);
});

test('no credentials: one message with how to configure them, exit 1', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--region', 'eu-west-1'], { env: env({ PATH: bin }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: no AWS credentials found/m);
  assert.match(r.stderr, /aws configure/);
  assert.doesNotMatch(r.stderr, /sam must not run/);
});

test('an unknown profile is named in the message', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--region', 'eu-west-1', '--profile', 'workshop'], { env: env({ PATH: bin }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /profile "workshop"/);
  assert.match(r.stderr, /aws configure --profile workshop/);
});

test('option checks: --profile/--region are for aws, stack names as CloudFormation allows (exit 2)', async () => {
  const a = await runCli(['deploy', '--workspace', ws(), '--region', 'us-east-1'], { env: env({ PATH: bin }) });
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--profile and --region are for --target aws/);
  const b = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--stack-name', '1bad_name'], { env: env({ PATH: bin }) });
  assert.equal(b.code, 2);
  assert.match(b.stderr, /invalid --stack-name/);
  const c = await runCli(['deploy', '--target', 'gcp', '--workspace', ws()], { env: env({ PATH: bin }) });
  assert.equal(c.code, 2);
  assert.ok(!existsSync(ws()));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsPreflight, findOnPath } from '../../src/targets/aws-preflight.js';
import { ExitCode, LabError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

/** A PATH with a fake `sam`, an empty HOME (no ~/.aws), and no AWS_* variables. */
function isolated(withSam: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'sol-preflight-'));
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  if (withSam) {
    writeFileSync(join(bin, 'sam'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'sam'), 0o755);
  }
  const saved = { ...process.env };
  // every AWS_ setting out of the way but the SDK's Node-version notice (silenced for the tests)
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') && k !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete process.env[k];
  process.env.HOME = home;
  process.env.PATH = bin;
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return {
    dir,
    home,
    restore() {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('findOnPath finds an executable and ignores a missing one', () => {
  const env = isolated(true);
  try {
    assert.equal(findOnPath('sam'), join(env.dir, 'bin', 'sam'));
    assert.equal(findOnPath('definitely-not-here'), undefined);
  } finally {
    env.restore();
  }
});

test('no sam on PATH: says so, with where to get it', async () => {
  const env = isolated(false);
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    await assert.rejects(awsPreflight({ region: 'us-east-1' }), (err: LabError) => {
      assert.ok(err instanceof LabError);
      assert.match(err.message, /SAM CLI \(`sam`\) is not on PATH/);
      assert.match(err.hint ?? '', /install-sam-cli/);
      return true;
    });
  } finally {
    env.restore();
  }
});

test('no region anywhere: says so, with the three ways to set one', async () => {
  const env = isolated(true);
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    await assert.rejects(awsPreflight({}), (err: LabError) => {
      assert.equal(err.message, 'no AWS region is set');
      assert.equal(err.exitCode, ExitCode.environment);
      assert.match(err.hint ?? '', /--region/);
      assert.match(err.hint ?? '', /AWS_REGION/);
      assert.match(err.hint ?? '', /\n`.* doctor --target aws` checks them again, with the rest the lab needs$/);
      return true;
    });
  } finally {
    env.restore();
  }
});

test('no sam, no region, no credentials: all three in one error (it said one per run), each with its fix, and doctor named', async () => {
  const env = isolated(false);
  try {
    await assert.rejects(awsPreflight({ doctor: 'lab doctor --target aws --workspace /ws' }), (err: LabError) => {
      assert.equal(err.exitCode, ExitCode.environment);
      assert.equal(err.message, 'the aws target needs 3 things this machine does not have:');
      const lines = (err.hint ?? '').split('\n');
      assert.equal(lines.length, 4, err.hint);
      assert.match(lines[0]!, /^- the AWS SAM CLI \(`sam`\) is not on PATH: install it: .*install-sam-cli/);
      assert.match(lines[1]!, /^- no AWS region is set: pass --region/);
      assert.match(lines[2]!, /^- no AWS credentials found .*: run `aws configure`/);
      assert.equal(lines[3], '`lab doctor --target aws --workspace /ws` checks them again, with the rest the lab needs');
      return true;
    });
  } finally {
    env.restore();
  }
});

test('doctor --target aws: each missing thing is a failure (✗ missing), not "could not check"; credentials checked with no region too', async () => {
  // the CLI in its own environment: an empty HOME, a PATH with no sam, no AWS_* settings
  {
    const bin = mkdtempSync(join(tmpdir(), 'sol-doctor-aws-'));
    const ws = join(bin, 'ws');
    const isolatedEnv = { HOME: join(bin, 'home'), PATH: join(bin, 'none'), AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1', AWS_CONFIG_FILE: join(bin, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(bin, 'credentials') };
    try {
      const r = await runCli(['doctor', '--target', 'aws', '--workspace', ws], { env: isolatedEnv });
      assert.equal(r.code, 1, r.stderr);
      const out = r.stdout + r.stderr;
      assert.doesNotMatch(out, /could not check/);
      assert.match(out, /✗ SAM CLI: not on PATH \(missing\)/);
      assert.match(out, /✗ region: none set \(missing\)\n[\d:]* +fix: pass --region/);
      assert.match(out, /✗ credentials: none found in the standard chain .* \(missing\)\n[\d:]* +fix: run `aws configure`/);
      assert.match(r.stderr, /3 thing\(s\) the lab needs: SAM CLI, region, credentials/);
      // the closing error leads to every fix, not the first one only
      assert.match(r.stderr, /\n {2}- SAM CLI: install it: .*install-sam-cli.*\n {2}- region: pass --region .*\n {2}- credentials: run `aws configure`/);
      // start on the aws target says the three at once and names doctor; no workspace made
      const start = await runCli(['start', '--target', 'aws', '--ci', '--workspace', ws], { env: isolatedEnv });
      assert.equal(start.code, 3, start.stderr);
      assert.match(start.stderr, /^error: the aws target needs 3 things this machine does not have:\n {2}- the AWS SAM CLI/);
      assert.match(start.stderr, /doctor --target aws --workspace .*ws` checks them again/);
      assert.equal(existsSync(ws), false);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }
});

// no timed assertion: the credential chain's own wait is bounded by the preflight (5 s), and a
// loaded CI machine could fail a bound on the test's time by slowness alone
test('no credentials: says so, with aws configure', async () => {
  const env = isolated(true);
  try {
    await assert.rejects(awsPreflight({ region: 'us-east-1' }), (err: LabError) => {
      assert.match(err.message, /^no AWS credentials found/);
      assert.match(err.hint ?? '', /aws configure/);
      return true;
    });
  } finally {
    env.restore();
  }
});

test('a profile that does not exist: the message names it', async () => {
  const env = isolated(true);
  try {
    await assert.rejects(awsPreflight({ region: 'us-east-1', profile: 'workshop' }), (err: LabError) => {
      assert.match(err.message, /profile "workshop"/);
      assert.match(err.hint ?? '', /aws configure --profile workshop/);
      return true;
    });
  } finally {
    env.restore();
  }
});

test('credentials from the environment and a region: ready', async () => {
  const env = isolated(true);
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_REGION = 'eu-central-1';
    const ctx = await awsPreflight({});
    assert.equal(ctx.region, 'eu-central-1');
    assert.equal(ctx.samPath, join(env.dir, 'bin', 'sam'));
  } finally {
    env.restore();
  }
});

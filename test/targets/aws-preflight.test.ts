import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsPreflight, findOnPath } from '../../src/targets/aws-preflight.js';
import { LabError } from '../../src/errors.js';

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
    await assert.rejects(awsPreflight({}), (err: LabError) => {
      assert.equal(err.message, 'no AWS region is set');
      assert.match(err.hint ?? '', /--region/);
      assert.match(err.hint ?? '', /AWS_REGION/);
      return true;
    });
  } finally {
    env.restore();
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

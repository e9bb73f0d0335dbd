/**
 * The learner's path with the aws CLI: for each canary step, the commands it prints are run as
 * printed (bash, the aws CLI v1, against the embedded cloud), then the step's live checks must
 * pass. This proves the printed commands work, quoting included.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runLiveChecks } from '../../src/lab/check.js';
import { canarySteps } from '../../src/steps/canary.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const awsOnPath = (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'aws')));

function bash(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile('bash', ['-euo', 'pipefail', '-c', command], { env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the canary chapter with the printed aws commands', { skip: awsOnPath ? false : 'aws is not on PATH' }, () => {
  let cloud: CanaryCloud;
  before(async () => {
    cloud = await startCanaryCloud();
  });
  after(() => cloud.close());

  for (const step of canarySteps) {
    it(`${step.id}: the printed commands make its checks pass`, async () => {
      const ctx = cloud.contextFor(step.id);
      await step.prepare?.(ctx);
      assert.equal(step.action.kind, 'command');
      const printed = step.action.kind === 'command' ? step.action.command(ctx) : '';
      for (const line of printed.split('\n')) {
        const r = await bash(line);
        assert.equal(r.code, 0, `${line}\n${r.stderr}`);
      }
      await step.follow?.(ctx);
      const results = await runLiveChecks(step.liveChecks, ctx);
      assert.deepEqual(
        results.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.expected ?? r.what} / ${r.found ?? r.fix}`),
        [],
      );
    });
  }
});

/**
 * The learner's path with the aws CLI: for each canary step, the commands it prints are run as
 * printed (bash, the aws CLI v1, against the embedded cloud), then the step's live checks must
 * pass. This proves the printed commands work, quoting included.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLiveChecks } from '../../src/lab/check.js';
import { canarySteps } from '../../src/steps/canary.js';
import { runWithAwsEnv, skipWithoutAws } from '../helpers/aws-cli.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

/** a printed command as a learner pastes it into bash, with the tests' aws CLI environment */
const bash = (command: string) => runWithAwsEnv('bash', ['-euo', 'pipefail', '-c', command], { timeoutMs: 120_000 });

describe('the canary chapter with the printed aws commands', { skip: skipWithoutAws }, () => {
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

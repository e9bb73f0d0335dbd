/**
 * The canary rollback as a learner meets it beyond the straight path: made before a q and found by
 * `start --ci` (the learner's, not the lab's), made with percentTraffic 0 instead of removing the
 * canary (said as a canary still there, with the command that removes it), and done again after
 * the promotion (from its own starting point, not the stage the promotion began on).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { LabContext } from '../../src/lab/context.js';
import type { RecordingIoHost } from '../../src/io/recording.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { solveStep } from '../../src/lab/solver.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { rollBack, stage, type CanaryTarget } from '../../src/steps/canary/lesson.js';
import { target } from '../../src/steps/canary/context.js';
import { startCanaryCloud, teachCanaryStep, type CanaryCloud } from './canary-fixture.js';

const step = (id: string) => canarySteps.find((s) => s.id === id)!;

describe('the canary rollback resumed, made at 0 %, and done again after the promotion', () => {
  let cloud: CanaryCloud;
  let root: string;
  let progress: ProgressStore;
  let t: CanaryTarget;
  /** a context for `id` that sees the saved progress, as the runner's does */
  const contextFor = (id: string): LabContext => Object.assign(cloud.contextFor(id), { stepProgress: (sid: string) => progress.step(sid) });
  const markDone = (id: string, assisted: boolean) =>
    progress.update(id, (s) => {
      s.status = 'done';
      s.assisted ||= assisted;
      s.doneAt = new Date(Date.now() + Object.keys(cloud.figures).length).toISOString();
    });

  before(async () => {
    cloud = await startCanaryCloud();
    root = mkdtempSync(join(tmpdir(), 'sol-canary-redo-'));
    progress = ProgressStore.load(workspacePaths(root), 'local');
    for (const id of ['canary-stage-variable', 'canary-create']) {
      const r = await solveStep(step(id), contextFor(id), { pollMs: 50 });
      assert.equal(r.outcome, 'passed', r.instructorMessage);
      markDone(id, true);
    }
    t = await target(contextFor('canary-create'));
  });
  after(async () => {
    // the temp dir goes whatever became of the cloud (a close that throws, a before that failed)
    try {
      await cloud?.close();
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  it('start --ci on a rollback the learner made before a q finds it done, measured, and does not make it again', async () => {
    const first = await teachCanaryStep(cloud, progress, 'canary-rollback', [
      'self',
      async () => {
        await rollBack(cloud.clients, t);
        return 'q';
      },
    ]);
    assert.equal(first.report.quit, true);
    assert.equal(progress.step('canary-rollback').status, 'started');
    // the runner's --ci path for a resumed step: mayBeDone, and assisted only when the lab made the change
    const r = await solveStep(step('canary-rollback'), contextFor('canary-rollback'), { pollMs: 50, mayBeDone: true });
    assert.equal(r.outcome, 'passed', r.instructorMessage);
    assert.equal(r.alreadyDone, true, `the lab made the rollback again: before ${JSON.stringify(r.before.filter((c) => c.status !== 'passed'))}`);
    assert.ok(r.before.every((c) => c.status === 'passed'));
    assert.equal(cloud.figures['canary-rollback']!.canaryShare, 0);
    markDone('canary-rollback', !r.alreadyDone);
    assert.equal(progress.step('canary-rollback').assisted, false);
  });

  it('a canary set to 0 % is not the rollback: the check says the canary is still there and names the command that removes it', async () => {
    const redo = await teachCanaryStep(cloud, progress, 'canary-rollback', [
      'self',
      async () => {
        assert.ok((await stage(cloud.clients, t)).canary, 'the redo starts from a canary');
        await cloud.clients.apiGateway.send(
          new UpdateStageCommand({ restApiId: t.route.restApiId, stageName: t.route.stageName, patchOperations: [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '0' }] }),
        );
        return 'r';
      },
      async () => {
        await rollBack(cloud.clients, t);
        return 'r';
      },
      'n',
    ]);
    const [atZero] = redo.checks.filter((c) => c.name.startsWith('the Prod stage has no canary'));
    assert.equal(atZero?.status, 'not-yet');
    assert.match(String(atZero?.found), /canarySettings at 0 % on deployment \w+: a canary that takes no requests, but still the stage's canary/);
    assert.match(String(atZero?.hint), /percentTraffic 0 keeps the canary/);
    assert.ok(String(atZero?.hint).includes(`removed:\n$ aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=remove,path=/canarySettings`), atZero?.hint);
    assert.equal(redo.report.outcome, 'passed');
    markDone('canary-rollback', false);
  });

  it('done again after the promotion, the rollback starts from its own starting point: the stage before the canary, put back, with a canary', async () => {
    const p = await solveStep(step('canary-promote'), contextFor('canary-promote'), { pollMs: 50 });
    assert.equal(p.outcome, 'passed', p.instructorMessage);
    markDone('canary-promote', true);
    const promoted = await stage(cloud.clients, t);
    assert.notEqual(promoted.deploymentId, cloud.figures['canary-promote']!.stageDeployment, 'the promotion moved the stage');

    // `step canary-rollback` now: the runner marks it started, then solves it (a done step done again)
    progress.update('canary-rollback', (s) => void (s.status = 'started'));
    const ctx = contextFor('canary-rollback');
    const r = await solveStep(step('canary-rollback'), ctx, { pollMs: 50, mayBeDone: true });
    assert.equal(r.outcome, 'passed', r.instructorMessage);
    assert.equal(r.alreadyDone, undefined, 'begun from a canary the lab put back');
    // its starting point: the stage before the chapter's canary (live), with a canary on the new version
    const before = cloud.figures['canary-create']!;
    const s = await stage(cloud.clients, t);
    assert.equal(s.canary, undefined);
    assert.equal(s.deploymentId, before.stageDeployment);
    assert.equal(JSON.stringify(s.variables), before.stageVariables);
    assert.equal(cloud.figures['canary-rollback']!.canaryShare, 0);
    const said = (ctx.io as RecordingIoHost).of('say').map((e) => e.text);
    assert.ok(said.some((l) => l.includes(`the stage served deployment ${promoted.deploymentId}`) && l.includes(`the lab put deployment ${String(before.stageDeployment)} with lambdaAlias=live back on it`)), said.join('\n'));
  });
});

/**
 * The canary chapter resumed: a learner who made a step's change (removed the canary, promoted it)
 * and quit before r finds it kept when the step starts again: the lab does not put a canary back
 * over it, and the step passes as the learner's. A step that has not begun yet still starts from a
 * canary the lab puts back, and says so.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answer } from '../../src/io/recording.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { solveStep } from '../../src/lab/solver.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { promote, rollBack, stage, type CanaryTarget } from '../../src/steps/canary/lesson.js';
import { target } from '../../src/steps/canary/context.js';
import { startCanaryCloud, teachCanaryStep, type CanaryCloud } from './canary-fixture.js';

const step = (id: string) => canarySteps.find((s) => s.id === id)!;

describe('the canary chapter resumed after the learner made the change', () => {
  let cloud: CanaryCloud;
  let root: string;
  let progress: ProgressStore;
  let t: CanaryTarget;
  before(async () => {
    cloud = await startCanaryCloud();
    root = mkdtempSync(join(tmpdir(), 'sol-canary-resume-'));
    progress = ProgressStore.load(workspacePaths(root), 'local');
    // steps 1 and 2 done for the learner: a 10 % canary on the new version
    for (const id of ['canary-stage-variable', 'canary-create']) {
      const r = await solveStep(step(id), cloud.contextFor(id), { pollMs: 50 });
      assert.equal(r.outcome, 'passed', r.instructorMessage);
      progress.update(id, (s) => {
        s.status = 'done';
        s.assisted = true;
      });
    }
    t = await target(cloud.contextFor('canary-create'));
  });
  after(async () => {
    // the temp dir goes whatever became of the cloud (a close that throws, a before that failed)
    try {
      await cloud?.close();
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  /** teaches `id` as the runner does (progress kept across calls): a quit, then `start` again */
  const teach = (id: string, answers: Answer[]) => teachCanaryStep(cloud, progress, id, answers);

  /** the resumed step: it should pass at once ("n" at next?); a step that asks "how" instead gets q */
  const resumeAnswers = (): Answer[] => [(q) => (q.kind === 'key' && q.text === 'next?' ? 'n' : q.kind === 'choose' ? 'self' : 'q'), 'q'];

  it('canary-rollback: the canary removed, q before r; on resume the stage keeps no canary and the step is the learner’s', async () => {
    const first = await teach('canary-rollback', [
      'self',
      async () => {
        await rollBack(cloud.clients, t);
        return 'q';
      },
    ]);
    assert.equal(first.report.quit, true);
    assert.equal(progress.step('canary-rollback').status, 'started');

    const again = await teach('canary-rollback', resumeAnswers());
    const s = await stage(cloud.clients, t);
    assert.equal(s.canary, undefined, `the lab put a canary back over the learner's rollback (deployment ${s.canary?.deploymentId})`);
    assert.equal(again.report.outcome, 'passed', JSON.stringify(again.checks.filter((c) => c.status !== 'passed')));
    assert.equal(again.report.learnerMessage, 'done');
    assert.equal(progress.step('canary-rollback').status, 'done');
    assert.equal(progress.step('canary-rollback').assisted, false);
    assert.equal(cloud.figures['canary-rollback']!.canaryShare, 0);
    // the lab says what it found and what it left alone, and did not say it put a canary back
    const said = again.io.of('say').map((e) => e.text);
    assert.ok(said.some((l) => /rollback is in the cloud already/.test(l) && /leaves the stage as it is/.test(l)), said.join('\n'));
    assert.ok(!said.some((l) => /put a canary/.test(l)), said.join('\n'));
    // never done: doing it again from a canary means forgetting it first
    assert.ok(said.some((l) => /leaves the stage as it is.*quit the lab \(q\), then run `[^`]*reset canary-rollback --workspace \S+`, then `[^`]*start (-- )?--workspace \S+`/.test(l)), said.join('\n'));
  });

  it('canary-rollback done, then done again (`step canary-rollback`): it starts from a canary the lab puts back, and a q mid-step keeps the new rollback', async () => {
    assert.equal(progress.step('canary-rollback').status, 'done');
    // `step canary-rollback`: the runner skips the done steps before it and teaches this one, whose
    // progress it marks started before the step's prepare, as it does for a resumed step
    const redo = await teach('canary-rollback', [
      'self',
      async () => {
        const s = await stage(cloud.clients, t);
        assert.ok(s.canary, 'a canary to roll back, put back by the lab');
        assert.equal(s.canary.deploymentId, cloud.figures['canary-rollback']!.canaryDeployment);
        await rollBack(cloud.clients, t);
        return 'q';
      },
    ]);
    const said = redo.io.of('say').map((e) => e.text);
    assert.ok(said.some((l) => /^the stage had no canary.*the lab put a canary at 10 % on Lambda version 2 back/.test(l)), said.join('\n'));
    assert.ok(!said.some((l) => /leaves the stage as it is/.test(l)), said.join('\n'));
    assert.equal(redo.report.quit, true);
    assert.equal(progress.step('canary-rollback').status, 'started');

    // the redo begun: its rollback is the learner's, kept on resume
    const again = await teach('canary-rollback', resumeAnswers());
    assert.equal((await stage(cloud.clients, t)).canary, undefined);
    assert.equal(again.report.outcome, 'passed', JSON.stringify(again.checks.filter((c) => c.status !== 'passed')));
    const resumed = again.io.of('say').map((e) => e.text);
    assert.ok(resumed.some((l) => /rollback is in the cloud already/.test(l)), resumed.join('\n'));
    // done before: once it passes, `step` does it again (a reset would forget the steps after it too)
    const left = resumed.find((l) => /leaves the stage as it is/.test(l)) ?? '';
    assert.match(left, /once it passes, quit the lab \(q\), then run `[^`]*step canary-rollback --workspace \S+`: a step done again begins from a canary/);
    assert.doesNotMatch(left, /reset/);
    assert.equal(progress.step('canary-rollback').status, 'done');
  });

  it('canary-promote: not begun, it starts from a canary the lab puts back (and says so)', async () => {
    // the stage as the rollback left it: no canary
    const first = await teach('canary-promote', [
      'self',
      async () => {
        const s = await stage(cloud.clients, t);
        assert.ok(s.canary, 'a canary to promote');
        assert.equal(s.canary.deploymentId, cloud.figures['canary-promote']!.canaryDeployment);
        await promote(cloud.clients, t);
        return 'q';
      },
    ]);
    assert.ok(first.io.of('say').some((e) => /^the stage had no canary.*the lab put a canary at 10 % on Lambda version 2 back/.test(e.text)), first.io.of('say').map((e) => e.text).join('\n'));
    assert.equal(progress.step('canary-promote').status, 'started');
  });

  it('canary-promote: promoted, q before r; on resume no canary comes back and the step is the learner’s', async () => {
    const again = await teach('canary-promote', resumeAnswers());
    const s = await stage(cloud.clients, t);
    assert.equal(s.canary, undefined, `the lab put a canary back over the learner's promotion (deployment ${s.canary?.deploymentId})`);
    assert.equal(s.deploymentId, cloud.figures['canary-promote']!.canaryDeployment);
    assert.equal(again.report.outcome, 'passed', JSON.stringify(again.checks.filter((c) => c.status !== 'passed')));
    assert.equal(progress.step('canary-promote').assisted, false);
    assert.equal(cloud.figures['canary-promote']!.canaryShare, 100);
    const said = again.io.of('say').map((e) => e.text);
    assert.ok(said.some((l) => /promotion is in the cloud already/.test(l) && /leaves the stage as it is/.test(l)), said.join('\n'));
  });
});

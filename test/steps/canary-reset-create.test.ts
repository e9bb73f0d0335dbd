/**
 * `reset canary-create` after the chapter was finished, as a learner walk met it: the stage kept
 * the promotion (lambdaAlias on the new version), so the canary made again split nothing (100 % on
 * the new version), and neither the hint nor "do it for me" left that state. Now the reset puts the
 * stage where canary-create starts (no canary, lambdaAlias=live), and from the promoted stage the
 * step says what is wrong, gives the command as a line to paste, and "do it for me" reaches the goal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { resetCommand } from '../../src/commands/reset.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { runLiveChecks } from '../../src/lab/check.js';
import type { LabContext } from '../../src/lab/context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { solveStep } from '../../src/lab/solver.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { stage, startCanary, type CanaryTarget } from '../../src/steps/canary/lesson.js';
import { labWorkspace } from '../lab/helpers.js';
import { EVEN_MEASURE_REQUESTS, teachCanaryStep, workspaceCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const step = (id: string) => canarySteps.find((s) => s.id === id)!;
const LATER = ['canary-create', 'canary-rollback', 'canary-promote'];

describe('canary-create after the chapter was finished', () => {
  let dir: string;
  let cloud: CanaryCloud;
  let progress: ProgressStore;
  let t: CanaryTarget;
  const contextFor = (id: string): LabContext => Object.assign(cloud.contextFor(id), { stepProgress: (sid: string) => progress.step(sid) });
  /** each step solved as --ci does, its figures kept in progress.json, where reset reads them */
  const solveAll = async (ids: string[]) => {
    for (const id of ids) {
      const r = await solveStep(step(id), contextFor(id), { pollMs: 50 });
      assert.equal(r.outcome, 'passed', `${id}: ${r.instructorMessage}`);
      progress.update(id, (s) => {
        s.status = 'done';
        s.doneAt = new Date().toISOString();
        s.figures = { ...cloud.figures[id] };
      });
    }
  };
  /** what a reset does to progress and figures (the stage left as it is, as the reset before this fix did) */
  const forget = () => {
    progress.clear(LATER);
    for (const id of LATER) delete cloud.figures[id];
  };

  before(async () => {
    dir = await labWorkspace('sol-canary-reset-create-');
    ({ cloud } = await workspaceCanaryCloud(dir));
    progress = ProgressStore.load(workspacePaths(dir), 'local');
    await solveAll(['canary-stage-variable', ...LATER]);
    t = await target(contextFor('canary-create'));
  });
  after(async () => {
    try {
      await cloud?.close();
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('from the promoted stage, the check names the stage\'s own lambdaAlias, h gives update-stage as a line to paste, and a reaches the goal', async () => {
    const promoted = await stage(cloud.clients, t);
    const version = promoted.variables.lambdaAlias!;
    assert.notEqual(version, 'live');
    forget();
    const run = await teachCanaryStep(cloud, progress, 'canary-create', [
      'self',
      async () => {
        // the printed create-deployment, on the promoted stage
        await startCanary(cloud.clients, t, version);
        return 'r';
      },
      'h',
      'a',
      'n',
    ]);
    const [own] = run.checks.filter((c) => c.name.startsWith("the stage's own lambdaAlias is still live") && c.status === 'not-yet');
    assert.ok(own, JSON.stringify(run.checks.map((c) => [c.name, c.status])));
    assert.equal(own.found, `lambdaAlias=${version}, the new version: the stage's own requests reach it too`);
    // the command on a line of its own (a `$ ` line, which the faces lay out to paste whole), not in the sentence
    assert.match(String(own.hint), /then press r:\n\$ aws apigateway update-stage --rest-api-id \w+ --stage-name Prod --patch-operations op=replace,path=\/variables\/lambdaAlias,value=live --endpoint-url \S+$/);
    const said = run.io.of('say').map((e) => e.text);
    const hint = said.find((l) => l.startsWith('hint (from what the cloud shows now)'));
    assert.ok(hint?.includes('\n$ aws apigateway update-stage '), said.join('\n'));
    // nothing measured while the stage's own share is on the new version: the split could not be 10 %
    assert.ok(!said.some((l) => /the last measurement found 100/.test(l)), said.join('\n'));
    assert.equal(run.report.outcome, 'passed', JSON.stringify(run.checks.filter((c) => c.status !== 'passed').slice(-4)));
    const s = await stage(cloud.clients, t);
    assert.equal(s.variables.lambdaAlias, 'live');
    assert.equal(s.canary?.stageVariableOverrides.lambdaAlias, version);
    const share = Number(cloud.figures['canary-create']!.canaryShare);
    assert.ok(Math.abs(share - 10) <= 2, `share ${share}`);
    // the workspace's cloud draws its split evenly (SOL_TEST_EVEN_CANARY_SPLIT): exactly the setting
    assert.equal(share, 10);
    assert.equal(cloud.figures['canary-create']!.requests, EVEN_MEASURE_REQUESTS.split);
    // the stage under the canary is kept as it is now (live), where the rollback returns to
    assert.equal(cloud.figures['canary-create']!.stageVariables, JSON.stringify(s.variables));
    progress.update('canary-create', (p) => {
      p.status = 'done';
      p.doneAt = new Date().toISOString();
      p.figures = { ...cloud.figures['canary-create'] };
    });
  });

  it('reset canary-create after the promotion puts the stage where the step starts, the resume re-check agrees, and the step reaches its goal', async () => {
    await solveAll(['canary-rollback', 'canary-promote']);
    const promoted = await stage(cloud.clients, t);
    assert.notEqual(promoted.variables.lambdaAlias, 'live');
    const before = String(progress.step('canary-create').figures.stageDeployment);

    const io = new RecordingIoHost();
    await resetCommand('canary-create', { workspace: dir, yes: true }, new InterruptPolicy(), io);
    for (const id of LATER) delete cloud.figures[id];

    const s = await stage(cloud.clients, t);
    assert.equal(s.canary, undefined, io.text);
    assert.equal(s.deploymentId, before);
    assert.equal(s.variables.lambdaAlias, 'live');
    assert.ok(
      io.text.includes(`put the Prod stage back on deployment ${before}, lambdaAlias=live, where canary-create starts (it had deployment ${promoted.deploymentId}, lambdaAlias=${promoted.variables.lambdaAlias})`),
      io.text,
    );
    assert.doesNotMatch(io.text, /keeps its canary if you made one/);
    // resume after canary-stage-variable: its checks agree with the cloud (it warned of 'a later change')
    const recheck = await runLiveChecks(step('canary-stage-variable').liveChecks, contextFor('canary-stage-variable'));
    assert.deepEqual(recheck.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.found}`), []);
    // the step from there, as --ci does it: the split is 10 % again
    await solveAll(['canary-create']);
    // a reset to the promotion finds the stage where that step starts (the create step's canary on it): it says nothing of the stage
    const again = new RecordingIoHost();
    await resetCommand('canary-promote', { workspace: dir, yes: true }, new InterruptPolicy(), again);
    assert.doesNotMatch(again.text, /put the Prod stage|removed the stage's canary/, again.text);
  });
});

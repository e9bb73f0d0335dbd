/**
 * The promotion's dead end, as a learner met it: the second printed command (the removal) run
 * first, then the first (the promotion), which on a stage without a canary makes a new 0 % canary
 * of the stage's own deployment. The hint says that state and the way out (the step's canary put
 * back, or `reset canary-promote`), and "do it for me" reaches the step's goal from it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { runLiveChecks } from '../../src/lab/check.js';
import type { LabContext } from '../../src/lab/context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { PROMOTE_OPERATIONS } from '../../src/steps/canary/release.js';
import { rollBack, stage, type CanaryTarget } from '../../src/steps/canary/lesson.js';
import { target } from '../../src/steps/canary/context.js';
import { solveCanarySteps, startCanaryCloud, teachCanaryStep, type CanaryCloud } from './canary-fixture.js';

const step = (id: string) => canarySteps.find((s) => s.id === id)!;

describe('canary-promote: the removal run before the promotion', () => {
  let cloud: CanaryCloud;
  let root: string;
  let progress: ProgressStore;
  let t: CanaryTarget;
  const contextFor = (id: string): LabContext => Object.assign(cloud.contextFor(id), { stepProgress: (sid: string) => progress.step(sid) });

  before(async () => {
    cloud = await startCanaryCloud();
    root = mkdtempSync(join(tmpdir(), 'sol-canary-dead-end-'));
    progress = ProgressStore.load(workspacePaths(root), 'local');
    await solveCanarySteps(['canary-stage-variable', 'canary-create', 'canary-rollback'], contextFor, progress);
    t = await target(contextFor('canary-create'));
  });
  after(async () => {
    try {
      await cloud?.close();
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  it('a resume after canary-create with the canary gone (reset canary-rollback) finds off only what the rollback puts back', async () => {
    // the runner leaves restoresFromPrevious out of its re-check; every other create check still holds
    const results = await runLiveChecks(step('canary-create').liveChecks, contextFor('canary-create'));
    const off = results.filter((r) => r.status !== 'passed').map((r) => r.name);
    assert.deepEqual(off, [...(step('canary-rollback').restoresFromPrevious ?? [])]);
    assert.equal(off.length, 2);
  });

  it('the hint names the state and the way out, and a (do it for me) promotes the step\'s canary', async () => {
    const promoteCmd = new UpdateStageCommand({ restApiId: t.route.restApiId, stageName: t.route.stageName, patchOperations: PROMOTE_OPERATIONS });
    const run = await teachCanaryStep(cloud, progress, 'canary-promote', [
      'self',
      async () => {
        await rollBack(cloud.clients, t);
        return 'r';
      },
      async () => {
        // the printed promote command on a stage without a canary: exit 0, a 0 % canary on the stage's own deployment
        await cloud.clients.apiGateway.send(promoteCmd);
        const s = await stage(cloud.clients, t);
        assert.equal(s.canary?.percentTraffic, 0);
        assert.equal(s.canary?.deploymentId, s.deploymentId);
        return 'r';
      },
      'h',
      'a',
      'n',
    ]);
    const canaryDeployment = String(cloud.figures['canary-promote']!.canaryDeployment);
    const said = run.io.of('say').map((e) => e.text);
    const hint = said.find((l) => l.startsWith('hint (from what the cloud shows now)'));
    assert.ok(hint, said.join('\n'));
    assert.match(hint, /a canary at 0 % on deployment \w+ \(the stage's own\)/);
    assert.ok(hint.includes(`not the canary this step began with (deployment ${canaryDeployment}, lambdaAlias=`), hint);
    assert.ok(hint.includes(`op=replace,path=/canarySettings/deploymentId,value=${canaryDeployment}`), hint);
    assert.match(hint, /reset canary-promote --workspace/);
    // reset is blocked while the lab runs (the workspace is in use): quit first, then reset, then start
    assert.match(hint, /or start the step over: quit the lab \(q\), then run these two:\n\$ [^\n]*reset canary-promote --workspace \S+\n\$ [^\n]*start (-- )?--workspace \S+$/);
    // the check that used to say "remove /canarySettings" (back into the same state) says the way out
    const [zero] = run.checks.filter((c) => c.name.startsWith('the Prod stage has no canary') && c.status === 'not-yet');
    assert.match(String(zero?.hint), /this canary is not the step's: removing it leaves a stage with nothing to promote/);
    const [dep] = run.checks.filter((c) => c.name === "the stage serves the canary's deployment" && c.status === 'not-yet');
    assert.match(String(dep?.hint), /The way out: put the step's canary back/);
    assert.equal(run.report.outcome, 'passed', JSON.stringify(run.checks.filter((c) => c.status !== 'passed').slice(-4)));
    const s = await stage(cloud.clients, t);
    assert.equal(s.canary, undefined);
    assert.equal(s.deploymentId, canaryDeployment);
    assert.equal(s.variables.lambdaAlias, String(cloud.figures['canary-create']!.version));
    assert.equal(cloud.figures['canary-promote']!.canaryShare, 100);
  });
});

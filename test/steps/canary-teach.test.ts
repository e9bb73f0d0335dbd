/**
 * The canary chapter taught to a learner who does the work themself: the commands the lab prints
 * are made through the SDK (as the aws CLI would make them), then r. The learner passes each step
 * as themself ("done", not assisted): r measures the split once the stage's settings hold.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeploymentCommand, PutIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { Answer } from '../../src/io/recording.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { CANARY_PERCENT, promote, rollBack, startCanary, TOLERANCE_POINTS, type CanaryTarget } from '../../src/steps/canary/lesson.js';
import { target } from '../../src/steps/canary/context.js';
import { stageVariableUri } from '../../src/steps/canary/stage-variable.js';
import { EVEN_MEASURE_REQUESTS, startCanaryCloud, teachCanaryStep, type CanaryCloud } from './canary-fixture.js';


describe('the canary chapter, done by the learner with r', () => {
  let cloud: CanaryCloud;
  let root: string;
  let progress: ProgressStore;
  before(async () => {
    cloud = await startCanaryCloud();
    root = mkdtempSync(join(tmpdir(), 'sol-canary-teach-'));
    progress = ProgressStore.load(workspacePaths(root), 'local');
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

  let t: CanaryTarget;

  it('canary-stage-variable: update-stage and put-integration without create-deployment do not pass; create-deployment does', async () => {
    const apigw = cloud.clients.apiGateway;
    const { report, checks, io } = await teach('canary-stage-variable', [
      'self',
      async () => {
        t = await target(cloud.contextFor('canary-stage-variable'));
        const r = t.route;
        await apigw.send(new UpdateStageCommand({ restApiId: r.restApiId, stageName: r.stageName, patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: 'live' }] }));
        await apigw.send(
          new PutIntegrationCommand({ restApiId: r.restApiId, resourceId: r.resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: stageVariableUri(t.region, t.functionArn) }),
        );
        return 'r';
      },
      async () => {
        await apigw.send(new CreateDeploymentCommand({ restApiId: t.route.restApiId, stageName: t.route.stageName }));
        return 'r';
      },
      'n',
    ]);
    assert.equal(report.outcome, 'passed');
    assert.equal(report.learnerMessage, 'done');
    assert.equal(progress.step('canary-stage-variable').assisted, false);
    const deployed = checks.filter((c) => c.name.startsWith('the Prod stage serves the new integration'));
    assert.equal(deployed.length, 2, 'checked after each r');
    assert.equal(deployed[0]!.status, 'not-yet');
    assert.match(deployed[0]!.hint ?? '', /create-deployment/);
    assert.equal(deployed[1]!.status, 'passed');
    assert.ok(io.of('explain').some((e) => /create-deployment/.test(e.text)), 'the step says why the deployment matters');
  });

  it('canary-create: r before the command does not measure; after it, r measures the split and the learner passes as themself', async () => {
    const { report, checks, io } = await teach('canary-create', [
      'self',
      'r',
      async () => {
        const version = String(cloud.figures['canary-create']!.version);
        await startCanary(cloud.clients, t, version, CANARY_PERCENT);
        return 'r';
      },
      'n',
    ]);
    assert.equal(report.outcome, 'passed', JSON.stringify(checks.filter((c) => c.status !== 'passed')));
    assert.equal(report.learnerMessage, 'done');
    assert.equal(progress.step('canary-create').assisted, false);
    const measuredChecks = checks.filter((c) => c.name.startsWith('the measured share'));
    assert.equal(measuredChecks[0]!.status, 'not-yet');
    assert.match(measuredChecks[0]!.found ?? '', /not measured/);
    assert.equal(measuredChecks.at(-1)!.status, 'passed');
    assert.equal(io.of('live').filter((e) => (e.data as { final: boolean }).final).length, 1, 'measured once, after the command');
    assert.equal(cloud.figures['canary-create']!.requests, EVEN_MEASURE_REQUESTS.split);
    const share = cloud.figures['canary-create']!.canaryShare as number;
    assert.ok(Math.abs(share - CANARY_PERCENT) <= TOLERANCE_POINTS, `share ${share}`);
    assert.equal(share, CANARY_PERCENT, 'the fixture draws the split evenly');
    // the permission the lab added is said as done, not printed as a command to run
    assert.ok(!io.of('command').some((c) => c.text.includes('add-permission')), 'no add-permission command to run');
    assert.ok(io.of('say').some((s) => s.text.startsWith('the lab added the permission') && s.text.includes('add-permission')));
  });

  it('canary-rollback and canary-promote: the update-stage commands, then r, pass with the sample', async () => {
    const rb = await teach('canary-rollback', [
      'self',
      async () => {
        await rollBack(cloud.clients, t);
        return 'r';
      },
      'n',
    ]);
    assert.equal(rb.report.outcome, 'passed', JSON.stringify(rb.checks.filter((c) => c.status !== 'passed')));
    assert.equal(progress.step('canary-rollback').assisted, false);
    assert.equal(cloud.figures['canary-rollback']!.canaryShare, 0);

    const pr = await teach('canary-promote', [
      'self',
      async () => {
        await promote(cloud.clients, t);
        return 'r';
      },
      'n',
    ]);
    assert.equal(pr.report.outcome, 'passed', JSON.stringify(pr.checks.filter((c) => c.status !== 'passed')));
    assert.equal(progress.step('canary-promote').assisted, false);
    assert.equal(cloud.figures['canary-promote']!.canaryShare, 100);
  });
});

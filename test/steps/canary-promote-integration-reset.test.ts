/**
 * canary-promote after a deploy of sam-app/ whose API changed (a route added mid-chapter): the
 * deploy puts the integration back as the template has it (…:live, no stage variable), the canary
 * the step puts back copies that, and the promotion sets lambdaAlias=N on a stage whose integration
 * never reads it: 0 % on the new version. The hint said "the stage is set as this step wants …
 * Press r to measure again", which finds the same 0 % every time; it now says why and the way back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeploymentCommand, PutIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { LabContext } from '../../src/lab/context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { solveStep } from '../../src/lab/solver.js';
import type { Hint } from '../../src/lab/step.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { functionUri } from '../../src/steps/canary/stage-variable.js';
import { solveCanarySteps, startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const step = (id: string) => canarySteps.find((s) => s.id === id)!;

describe('canary-promote on an integration a deploy put back', () => {
  let cloud: CanaryCloud;
  let root: string;
  let progress: ProgressStore;
  const contextFor = (id: string): LabContext => Object.assign(cloud.contextFor(id), { stepProgress: (sid: string) => progress.step(sid) });

  before(async () => {
    cloud = await startCanaryCloud();
    root = mkdtempSync(join(tmpdir(), 'sol-canary-integration-reset-'));
    progress = ProgressStore.load(workspacePaths(root), 'local');
    await solveCanarySteps(['canary-stage-variable', 'canary-create', 'canary-rollback'], contextFor, progress);
    // what the local deployer does with a changed API: the template's integration, a deployment, the stage moved onto it
    const t = await target(contextFor('canary-promote'));
    const apigw = cloud.clients.apiGateway;
    await apigw.send(
      new PutIntegrationCommand({ restApiId: t.route.restApiId, resourceId: t.route.resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: functionUri(t.region, t.functionArn, 'live') }),
    );
    const dep = await apigw.send(new CreateDeploymentCommand({ restApiId: t.route.restApiId }));
    await apigw.send(new UpdateStageCommand({ restApiId: t.route.restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/deploymentId', value: dep.id! }] }));
  });
  after(async () => {
    try {
      await cloud?.close();
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  it('the promotion finds 0 %, and the hint says the integration does not read the variable, with reset canary-stage-variable', async () => {
    const ctx = contextFor('canary-promote');
    const r = await solveStep(step('canary-promote'), ctx, { pollMs: 50 });
    assert.notEqual(r.outcome, 'passed');
    const signal = new AbortController().signal;
    const fromState = step('canary-promote').hints.filter((h): h is Exclude<Hint, string> => typeof h !== 'string');
    const said = (await Promise.all(fromState.map((h) => h.fromState(ctx, signal)))).filter(Boolean).join('\n');
    assert.match(said, /^the stage serves deployment \S+, whose integration calls lab-GetInfoFunction:live directly, not through \$\{stageVariables\.lambdaAlias\}, so lambdaAlias=2 reaches no request and measuring again finds the same\. /);
    assert.match(said, /step canary-stage-variable changed: a deploy of sam-app\/ whose API changed puts it back as the template has it/);
    assert.match(said, /quit the lab \(q\), then run `.*reset canary-stage-variable.*`, then `.*start.*`\.$/);
    assert.doesNotMatch(said, /Press r to measure again/);
  });
});

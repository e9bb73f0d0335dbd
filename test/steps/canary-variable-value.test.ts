/**
 * canary-stage-variable with the variable set to a value the function does not have
 * (`value=lve`): the requests check says its finding in words, not JSON, and its hint names the
 * missing alias with the function's aliases, not a 502 the answers never were.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLiveChecks } from '../../src/lab/check.js';
import { solveStep } from '../../src/lab/solver.js';
import { createCanary, patchStage } from '../../src/steps/canary/release.js';
import { stage } from '../../src/steps/canary/lesson.js';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { splitInWords } from '../../src/steps/canary/split.js';
import { useStageVariable } from '../../src/steps/canary/stage-variable.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

describe('splitInWords', () => {
  it('says the answers by version, then by status in words, a 400 as the answer to the check\'s own body {} (a resume\'s re-check said "status 400 for 20")', () => {
    assert.equal(splitInWords({ byVersion: { '?': 20 }, byStatus: { '500': 20 }, errors: 0, sent: 20 }), '20 requests: 20 named no version; 20 answered 500');
    assert.equal(
      splitInWords({ byVersion: { '?': 2, '10': 3, '9': 15 }, byStatus: { '502': 2, '400': 18 }, errors: 1, sent: 21 }),
      "21 requests: 15 from Lambda version 9, 3 from Lambda version 10, 2 named no version, 1 without an answer; 18 answered 400 (the app refusing the check's body {}, as expected), 2 answered 502",
    );
    assert.doesNotMatch(splitInWords({ byVersion: { '6': 20 }, byStatus: { '400': 20 }, errors: 0, sent: 20 }), /status 400 for 20/);
  });
});

describe('canary-stage-variable: lambdaAlias names no alias of the function', () => {
  let cloud: CanaryCloud;
  before(async () => {
    cloud = await startCanaryCloud();
  });
  after(async () => {
    await cloud?.close();
  });

  it('says the 500s in words and that the function has no alias lve, with its aliases', async () => {
    const ctx = cloud.contextFor('canary-stage-variable');
    const t = await target(ctx);
    await useStageVariable(cloud.clients.apiGateway, t.route, t.region, t.functionArn, 'lve');
    const step = canarySteps.find((s) => s.id === 'canary-stage-variable')!;
    const results = await runLiveChecks(step.liveChecks, ctx);
    const variable = results.find((r) => r.name.startsWith('the Prod stage sets'))!;
    assert.equal(variable.status, 'not-yet');
    assert.equal(variable.found, 'lambdaAlias=lve');
    const reach = results.find((r) => r.name.startsWith('requests through the stage'))!;
    assert.equal(reach.status, 'not-yet');
    assert.equal(reach.found, '20 requests: 20 named no version; 20 answered 500');
    assert.ok(reach.hint?.startsWith('the stage sets lambdaAlias=lve, and lab-GetInfoFunction has no alias or version named lve (its aliases: live (Lambda version 1))'), reach.hint);
    assert.ok(reach.hint?.includes('(500)'), reach.hint);
    // the command on a line of its own, which the faces lay out to paste whole (it ended the sentence, wrapped as prose)
    assert.match(String(reach.hint), /set it to live, then press r:\n\$ aws apigateway update-stage --rest-api-id \w+ --stage-name Prod --patch-operations op=replace,path=\/variables\/lambdaAlias,value=live --endpoint-url \S+$/);
    assert.doesNotMatch(String(reach.hint), /502/);
  });
});

describe('canary-create with the canary on a wrong version (stageVariableOverrides={lambdaAlias=31})', () => {
  let cloud: CanaryCloud;
  before(async () => {
    cloud = await startCanaryCloud();
  });
  after(async () => {
    await cloud?.close();
  });

  it('the override check gives the update-stage patch that sets the new version on the canary, and it works as printed', async () => {
    const [variableStep, createStep] = canarySteps;
    const solved = await solveStep(variableStep!, cloud.contextFor('canary-stage-variable'), { pollMs: 50 });
    assert.equal(solved.outcome, 'passed', solved.instructorMessage);
    const ctx = cloud.contextFor('canary-create');
    await createStep!.prepare!(ctx);
    const version = String(cloud.figures['canary-create']!.version);
    const t = await target(ctx);
    await createCanary(cloud.clients.apiGateway, t.route, { percentTraffic: 10, stageVariableOverrides: { lambdaAlias: '31' } });
    const check = createStep!.liveChecks.find((c) => c.name === "the canary's lambdaAlias names the new version")!;
    const [r] = await runLiveChecks([check], ctx);
    assert.equal(r!.status, 'not-yet');
    assert.equal(r!.expected, `lambdaAlias=${version}`);
    assert.equal(r!.found, 'lambdaAlias=31');
    const patch = `aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=replace,path=/canarySettings/stageVariableOverrides/lambdaAlias,value=${version} --endpoint-url ${cloud.emu.endpoint}`;
    assert.equal(r!.hint, `the canary's lambdaAlias=31 sends its 10 % to 31, not to the new Lambda version ${version}; set it on the canary, then press r:\n$ ${patch}`);
    // the patch as printed (its operation, through the SDK): the canary keeps its share and deployment, and the check passes
    const before = await stage(cloud.clients, t);
    await patchStage(cloud.clients.apiGateway, t.route, [{ op: 'replace', path: '/canarySettings/stageVariableOverrides/lambdaAlias', value: version }]);
    const afterPatch = await stage(cloud.clients, t);
    assert.equal(afterPatch.canary?.percentTraffic, 10);
    assert.equal(afterPatch.canary?.deploymentId, before.canary?.deploymentId);
    const [again] = await runLiveChecks([check], ctx);
    assert.equal(again!.status, 'passed', JSON.stringify(again));
  });
});

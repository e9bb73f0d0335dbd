/**
 * Step 6 (canary-stage-variable) done again, or done after the learner ran the next step's
 * create-deployment --canary-settings early: the stage's canary names another Lambda version
 * (stageVariableOverrides lambdaAlias=N), so its share of the 20 requests the step's last check
 * sends answers from N. That check wanted all 20 from live and failed with no hint, after the
 * learner's three commands and after "do it for me" alike (which keeps the canary). The canary's
 * share is the canary's: the check passes and says so; an answer from a version neither names still
 * fails it.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { CreateDeploymentCommand, PutIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { runLiveChecks } from '../../src/lab/check.js';
import { formatCheck, stripAnsi } from '../../src/io/format.js';
import { paint } from '../../src/io/terminal.js';
import type { LabContext } from '../../src/lab/context.js';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { allowApiGateway, sourceArn, stageVariableUri } from '../../src/steps/canary/stage-variable.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const step = canarySteps.find((s) => s.id === 'canary-stage-variable')!;

// the fixture's app, another version of it (a new Lambda version answers with its own number)
const V5 = `exports.handler = async (event, context) => ({
  statusCode: 400,
  headers: { 'Content-Type': 'application/json', 'X-App-Version': '5', 'X-Function-Version': context.functionVersion },
  body: JSON.stringify({ message: 'bad request', ServedBy: { AppVersion: 5, FunctionVersion: context.functionVersion } }),
});`;

describe('canary-stage-variable on a stage whose canary names another version', () => {
  let cloud: CanaryCloud;
  let ctx: LabContext;
  let version: string;
  beforeEach(async () => {
    cloud = await startCanaryCloud();
    ctx = cloud.contextFor(step.id);
    const t = await target(ctx);
    const { lambda, apiGateway: apigw } = cloud.clients;
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: t.functionName, ZipFile: Buffer.from(zipSync({ 'app.js': strToU8(V5) })) }));
    version = (await lambda.send(new PublishVersionCommand({ FunctionName: t.functionName }))).Version!;
    await allowApiGateway(lambda, t.functionName, version, sourceArn(t.region, t.accountId, t.route));
    // the variable and the integration, then the next step's canary, run early
    const restApiId = t.route.restApiId;
    await apigw.send(new UpdateStageCommand({ restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: 'live' }] }));
    await apigw.send(
      new PutIntegrationCommand({ restApiId, resourceId: t.route.resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: stageVariableUri(t.region, t.functionArn) }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'Prod', canarySettings: { percentTraffic: 10, stageVariableOverrides: { lambdaAlias: version } } }));
  });
  afterEach(async () => {
    await cloud?.close();
  });

  const reachesLive = async () => (await runLiveChecks(step.liveChecks, ctx)).find((r) => r.name === 'requests through the stage still reach the live alias')!;

  it('"do it for me" passes the step: the answers from the canary\'s version are said as its share', async () => {
    assert.notEqual(version, '1');
    await step.solve!.apply(ctx);
    const results = await runLiveChecks(step.liveChecks, ctx);
    for (const r of results) assert.equal(r.status, 'passed', `${r.name}: ${r.found} ${r.hint ?? ''}`);
    const live = await reachesLive();
    assert.match(live.found ?? '', new RegExp(`^\\d+ of 20 answered by Lambda version 1 \\(live\\), [1-9]\\d* by Lambda version ${version}: the stage's canary's share \\(10 %, lambdaAlias=${version} for it\\)`));
    for (const color of [false, true]) {
      const lines = formatCheck({ name: live.name, status: 'passed', expected: '', found: live.found ?? '' }, paint(color), 80).map(stripAnsi);
      for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
    }
  });

  it('a canary whose lambdaAlias names no version (made early, before the next step publishes it): the hint says so, with the removal', async () => {
    const restApiId = (await target(ctx)).route.restApiId;
    await cloud.clients.apiGateway.send(
      new UpdateStageCommand({ restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/canarySettings/stageVariableOverrides/lambdaAlias', value: '99' }] }),
    );
    await step.solve!.apply(ctx);
    const live = await reachesLive();
    assert.equal(live.status, 'not-yet');
    const remove = `aws apigateway update-stage --rest-api-id ${restApiId} --stage-name Prod --patch-operations op=remove,path=/canarySettings --endpoint-url ${cloud.emu.endpoint}`;
    assert.match(live.hint ?? '', /^the stage's canary \(10 % on deployment \S+\) sets lambdaAlias=99 for its share, and lab-GetInfoFunction has no alias or version named 99 \(its aliases: live \(Lambda version 1\)\), so its share finds no function \(5\d\d\)\. Remove the canary, then press r \(the next step publishes the new version and makes the canary\):/);
    assert.ok(live.hint?.endsWith(`\n$ ${remove}`), live.hint);
    for (const color of [false, true]) {
      const lines = formatCheck({ name: live.name, status: 'not-yet', expected: live.expected ?? '', found: live.found ?? '', hint: live.hint }, paint(color), 80).map(stripAnsi);
      for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
    }
    await cloud.clients.apiGateway.send(new UpdateStageCommand({ restApiId, stageName: 'Prod', patchOperations: [{ op: 'remove', path: '/canarySettings' }] }));
    assert.equal((await reachesLive()).status, 'passed');
  });

  it('a canary whose lambdaAlias is live, the answers all from live, reads as before', async () => {
    await cloud.clients.apiGateway.send(
      new UpdateStageCommand({ restApiId: (await target(ctx)).route.restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/canarySettings/stageVariableOverrides/lambdaAlias', value: 'live' }] }),
    );
    await step.solve!.apply(ctx);
    const live = await reachesLive();
    assert.equal(live.status, 'passed');
    assert.equal(live.found, '20 of 20 answered by Lambda version 1 (live)');
  });
});

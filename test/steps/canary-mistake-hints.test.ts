/**
 * The canary chapter's likely slips, each said with the command that gets the learner out, on a
 * line of its own (in the check and in the h key's hint), fitted at 80 columns:
 * - a canary share written as a Lambda alias weight (percentTraffic 0.1 for 10 %): the check said
 *   `expected percentTraffic 10 / found 0.1 %` and the hints were the step's generic ones;
 * - a misspelt stage variable (`path=/variables/lambdaAlais`): found `lambdaAlias unset (the stage
 *   sets lambdaAlais=live)`, with no command that removes the misspelt one; one in the integration
 *   (`stageVariables.lambdaAlia`) was told to put-integration "with the printed --uri", printed
 *   when the step began.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, PutIntegrationCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { stageVariableUri } from '../../src/steps/canary/stage-variable.js';
import { canarySteps } from '../../src/steps/canary.js';
import { target } from '../../src/steps/canary/context.js';
import { reachThroughStageVariable, startCanary, type CanaryTarget } from '../../src/steps/canary/lesson.js';
import type { LabContext } from '../../src/lab/context.js';
import type { Hint } from '../../src/lab/step.js';
import { formatCheck, stripAnsi } from '../../src/io/format.js';
import { paint } from '../../src/io/terminal.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const step = (id: string) => canarySteps.find((s) => s.id === id)!;
const signal = () => new AbortController().signal;

/** the step's hints read from the cloud, as the h key shows them */
async function hintsFromState(id: string, ctx: LabContext): Promise<string> {
  const fromState = step(id).hints.filter((h): h is Exclude<Hint, string> => typeof h !== 'string');
  return (await Promise.all(fromState.map((h) => h.fromState(ctx, signal())))).filter(Boolean).join('\n');
}

/** a step's check by the start of its name, run */
async function check(id: string, name: string, ctx: LabContext) {
  const c = step(id).liveChecks.find((x) => x.name.startsWith(name))!;
  assert.ok(c, name);
  return { name: c.name, ...((await c.run(ctx, signal())) as { status: string; expected?: string; found?: string; hint?: string }) };
}

/** the check as a terminal shows it, with and without colour: every line within 80 columns */
function fits(c: Awaited<ReturnType<typeof check>>): void {
  for (const color of [false, true]) {
    const lines = formatCheck({ name: c.name, status: 'not-yet', expected: c.expected ?? '', found: c.found ?? '', hint: c.hint }, paint(color), 80).map(stripAnsi);
    for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  }
}

describe('the canary chapter: a slip is said with the command that undoes it', () => {
  let cloud: CanaryCloud;
  let t: CanaryTarget;
  let end: string;
  const patch = (op: 'replace' | 'remove', path: string, value?: string) =>
    cloud.clients.apiGateway.send(new UpdateStageCommand({ restApiId: t.route.restApiId, stageName: 'Prod', patchOperations: [{ op, path, value }] }));

  before(async () => {
    cloud = await startCanaryCloud();
    t = await target(cloud.contextFor('canary-stage-variable'));
    end = `--endpoint-url ${cloud.emu.endpoint}`;
  });
  after(async () => {
    await cloud?.close();
  });

  it('a misspelt stage variable (lambdaAlais): the update-stage that sets lambdaAlias, then the one that removes the typo', async () => {
    await patch('replace', '/variables/lambdaAlais', 'live');
    const ctx = cloud.contextFor('canary-stage-variable');
    const set = `\n$ aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=replace,path=/variables/lambdaAlias,value=live ${end}`;
    const remove = `\n$ aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=remove,path=/variables/lambdaAlais ${end}`;

    const c = await check('canary-stage-variable', 'the Prod stage sets lambdaAlias=live', ctx);
    assert.equal(c.status, 'not-yet');
    assert.equal(c.found, 'lambdaAlias unset (the stage sets lambdaAlais=live)');
    assert.match(c.hint ?? '', /^the Prod stage sets lambdaAlais, not lambdaAlias, the name the integration reads \(update-stage makes a variable of any name it is given\): set lambdaAlias, then remove lambdaAlais:/);
    assert.ok((c.hint ?? '').endsWith(`${set}${remove}`), c.hint);
    fits(c);

    const h = await hintsFromState('canary-stage-variable', ctx);
    assert.ok(h.includes(`${set}${remove}`), h);

    // the two commands done: the check passes
    await patch('replace', '/variables/lambdaAlias', 'live');
    await patch('remove', '/variables/lambdaAlais');
    assert.equal((await check('canary-stage-variable', 'the Prod stage sets lambdaAlias=live', ctx)).status, 'passed');
  });

  it("a misspelt variable in the integration (stageVariables.lambdaAlia): the put-integration that reads lambdaAlias, then the create-deployment, deployed or not", async () => {
    const { restApiId, resourceId } = t.route;
    const uri = stageVariableUri(t.region, t.functionArn);
    await cloud.clients.apiGateway.send(
      new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uri.replace('lambdaAlias', 'lambdaAlia') }),
    );
    await cloud.clients.apiGateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'Prod' }));
    const ctx = cloud.contextFor('canary-stage-variable');
    const again = `\n$ aws apigateway put-integration --rest-api-id ${restApiId} --resource-id ${resourceId} --http-method POST --type AWS_PROXY --integration-http-method POST --uri '${uri}' ${end}\n$ aws apigateway create-deployment --rest-api-id ${restApiId} --stage-name Prod ${end}`;
    for (const name of ['the integration calls', 'the Prod stage serves the new integration']) {
      const c = await check('canary-stage-variable', name, ctx);
      assert.equal(c.status, 'not-yet');
      assert.match(c.hint ?? '', /^the (deployed )?integration names stageVariables\.lambdaAlia, the stage sets lambdaAlias/);
      assert.ok((c.hint ?? '').endsWith(again), c.hint);
      fits(c);
    }
  });

  it('a canary share written as a fraction (0.1, 0.25, 0.5): a percentage from 0 to 100, unlike an alias weight, with the update-stage that sets 10', async () => {
    await reachThroughStageVariable(cloud.clients, t);
    await startCanary(cloud.clients, t, '1', 10);
    const ctx = cloud.contextFor('canary-create');
    const set = `\n$ aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=replace,path=/canarySettings/percentTraffic,value=10 ${end}`;
    for (const share of ['0.1', '0.25', '0.5']) {
      await patch('replace', '/canarySettings/percentTraffic', share);
      const c = await check('canary-create', 'the Prod stage has a canary at 10 %', ctx);
      assert.equal(c.status, 'not-yet');
      assert.equal(c.found, `${share} %`);
      const hint = c.hint ?? '';
      assert.ok(hint.startsWith(`percentTraffic ${share} sends ${share} % of the stage's requests to the canary, not ${Number(share) * 100} %`), hint);
      assert.match(hint, /API Gateway's canary share is a percentage from 0 to 100, unlike a Lambda alias weight \(a fraction from 0 to 1/);
      assert.ok(hint.endsWith(set), hint);
      fits(c);
      const h = await hintsFromState('canary-create', ctx);
      assert.ok(h.includes(set), h);
    }
    // the stage's own variable misspelt under the canary: the own-share check says the same way out, then r
    await patch('remove', '/variables/lambdaAlias');
    await patch('replace', '/variables/lambdaAlais', 'live');
    const own = await check('canary-create', "the stage's own lambdaAlias is still live", ctx);
    assert.equal(own.status, 'not-yet');
    const commands = `\n$ aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=replace,path=/variables/lambdaAlias,value=live ${end}\n$ aws apigateway update-stage --rest-api-id ${t.route.restApiId} --stage-name Prod --patch-operations op=remove,path=/variables/lambdaAlais ${end}`;
    assert.ok((own.hint ?? '').endsWith(`set lambdaAlias, then remove lambdaAlais:${commands}\nthen press r`), own.hint);
    fits(own);
    await patch('replace', '/variables/lambdaAlias', 'live');
    await patch('remove', '/variables/lambdaAlais');
    // the step's own share, or none: no word of a fraction
    for (const share of ['10', '0', '1']) {
      await patch('replace', '/canarySettings/percentTraffic', share);
      const c = await check('canary-create', 'the Prod stage has a canary at 10 %', ctx);
      assert.doesNotMatch(c.hint ?? '', /a fraction from 0 to 1/);
      assert.doesNotMatch(await hintsFromState('canary-create', ctx), /a fraction from 0 to 1/);
    }
  });
});

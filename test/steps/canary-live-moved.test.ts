/**
 * A deploy run between canary-stage-variable and canary-create (a learner walk: after
 * hooks-errors app.mjs is app version 3, live on Lambda 2, and `deploy` starts a Linear10 shift
 * 2 → 5). The create step said `"live" stays on Lambda version 2` and its check of the live
 * alias never passed, with no hint, and `a` did not reach the goal either. Now the prepare says the
 * shift, the check accepts the version the learner's own deploy moved live to (Lambda's routing,
 * not the canary's), and a move by anything else is named with the way back, which `a` takes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { GetAliasCommand, PublishVersionCommand, UpdateAliasCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { runLiveChecks } from '../../src/lab/check.js';
import { canarySteps } from '../../src/steps/canary.js';
import type { RecordingIoHost } from '../../src/io/recording.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const FN = 'lab-GetInfoFunction';
const V3 = `exports.handler = async (event, context) => ({ statusCode: 200, headers: { 'X-App-Version': '3', 'X-Function-Version': context.functionVersion }, body: '{}' });`;

describe('canary-create after a deploy moved live', () => {
  let cloud: CanaryCloud;
  const create = canarySteps.find((s) => s.id === 'canary-create')!;
  const check = create.liveChecks.find((c) => /live alias/.test(c.name))!;
  const run = async () => (await runLiveChecks([check], cloud.contextFor('canary-create')))[0]!;
  const alias = async () => cloud.clients.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'live' }));

  before(async () => {
    cloud = await startCanaryCloud();
    // the learner's deploy: app version 3 published as Lambda version 2, a CodeDeploy shift of live 1 → 2 under way
    await cloud.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FN, ZipFile: Buffer.from(zipSync({ 'app.js': strToU8(V3) })) }));
    const v = await cloud.clients.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    assert.equal(v.Version, '2');
    await cloud.clients.lambda.send(new UpdateAliasCommand({ FunctionName: FN, Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
    cloud.record.functions[0] = { ...cloud.record.functions[0]!, version: '2', deploymentId: 'd-LEARNER1' };
  });
  after(() => cloud.close());

  it('the prepare says the shift, not "live stays"', async () => {
    const ctx = cloud.contextFor('canary-create');
    await create.prepare!(ctx);
    const said = (ctx.io as RecordingIoHost).text;
    assert.doesNotMatch(said, /stays on Lambda version/, said);
    assert.match(said, /the alias "live" is on Lambda version 1, shifting to Lambda version 2/, said);
    // the two numberings, each named with its kind: "version 5 of the app is Lambda version 3" read as one
    assert.match(said, /app version 5 \(APP_VERSION in the code\) is Lambda version 3 \(the number the cloud gave this publish\)/, said);
    assert.doesNotMatch(said, /version 5 of the app/, said);
    // the add-permission the lab ran is a command on a line of its own ($ …), laid out as every command
    // is; in a sentence, the terminal cut it mid-flag at 80 columns
    assert.match(said, /nothing for you to run \(run again, it would answer ResourceConflictException\):\n\$ aws lambda add-permission /, said);
    assert.match(said, /your deploy's CodeDeploy deployment d-LEARNER1 is shifting "live" from Lambda version 1 to 2/, said);
    assert.equal(cloud.figures['canary-create']!.version, '3');
  });

  it("passes while the learner's deploy shifts live, and once the shift ends, saying who moved it", async () => {
    let r = await run();
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.match(r.found ?? '', /shifting from Lambda version 1 to 2, moved by your deploy \(CodeDeploy deployment d-LEARNER1\), not by the canary/);
    await cloud.clients.lambda.send(new UpdateAliasCommand({ FunctionName: FN, Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
    r = await run();
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.match(r.found ?? '', /^live on Lambda version 2, moved from 1 by your deploy/);
  });

  it('a move by anything else is named with the way back, and a takes it', async () => {
    // by hand, onto the canary's own version
    await cloud.clients.lambda.send(new UpdateAliasCommand({ FunctionName: FN, Name: 'live', FunctionVersion: '3' }));
    const r = await run();
    assert.equal(r.status, 'not-yet', JSON.stringify(r));
    assert.match(r.hint ?? '', /not by your last deploy/);
    assert.match(r.hint ?? '', /lambda update-alias --function-name lab-GetInfoFunction --name live --function-version 2 /);
    await create.solve.apply(cloud.contextFor('canary-create'));
    assert.equal((await alias()).FunctionVersion, '2');
    assert.equal((await run()).status, 'passed');
  });
});

/**
 * The deployment view samples through the API's stage. After the canary chapter's promotion the
 * stage calls a Lambda version itself (lambdaAlias=6): the view counted `answers from Lambda v7: 0,
 * v8: 0, v6: 184`, the shift's versions at 0 and a third no line explained. It now says what the
 * stage calls, before the view and in its count, and counts only what answered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { sampledAnswers } from '../../src/steps/shared/deployment-view.js';
import { stageElsewhere, stageElsewhereInWords } from '../../src/steps/shared/stage-calls.js';
import { startCanaryCloud, type CanaryCloud } from './canary-fixture.js';

const viaVariable = { uriQualifier: '${stageVariables.lambdaAlias}' };

describe('the view of a shift whose stage does not call the alias', () => {
  it('names what answered, and what the stage calls, never the shift\'s versions at 0', () => {
    const line = sampledAnswers({ answers: { '6': 184 }, failed: {}, unanswered: 0, versions: ['7', '8'], sent: 184, stageCalls: 'v6' });
    assert.equal(line, 'answers from Lambda v6: 184 (the stage calls v6)');
    assert.equal(sampledAnswers({ answers: {}, failed: {}, unanswered: 0, versions: ['7', '8'], sent: 8, stageCalls: 'v6' }), 'no answer back yet (8 sent) (the stage calls v6)');
    // a stage on the alias: as before
    assert.equal(sampledAnswers({ answers: { '7': 3 }, failed: {}, unanswered: 0, versions: ['7', '8'], sent: 3 }), 'answers from Lambda v7: 3, v8: 0');
  });

  it('says the stage variable and the version it names, and the command that points the stage at the alias again', () => {
    const w = stageElsewhereInWords({ stage: 'Prod', variables: { lambdaAlias: '6' }, canary: null }, { ...viaVariable, qualifier: '6' }, 'live', (v) => `aws apigateway update-stage … value=live # ${v}`);
    assert.equal(w?.calls, 'v6');
    assert.match(w!.said, /^the Prod stage calls Lambda version 6 \(its stage variable lambdaAlias=6\), not the alias "live" that this deployment shifts: the answers counted below come from Lambda version 6, whatever the alias's weights/);
    assert.match(w!.said, /\n\$ aws apigateway update-stage … value=live # lambdaAlias$/);
    // the blue-green check of the API's answer ("found app version 5") says why, with the same way back
    assert.equal(
      w?.hint,
      'the Prod stage calls Lambda version 6 (its stage variable lambdaAlias=6), not the alias "live" that a deploy moves, so the API answers from Lambda version 6: point the stage at "live" again, then re-check:\n$ aws apigateway update-stage … value=live # lambdaAlias',
    );
    // on the alias: nothing to say
    assert.equal(stageElsewhereInWords({ stage: 'Prod', variables: { lambdaAlias: 'live' }, canary: null }, { ...viaVariable, qualifier: 'live' }, 'live'), undefined);
  });

  it("a canary that calls another version is said, the stage's own share still counted with the shift's versions", () => {
    const w = stageElsewhereInWords(
      { stage: 'Prod', variables: { lambdaAlias: 'live' }, canary: { deploymentId: 'd', percentTraffic: 10, stageVariableOverrides: { lambdaAlias: '5' } } },
      { ...viaVariable, qualifier: 'live', canaryQualifier: '5' },
      'live',
    );
    assert.equal(w?.calls, undefined);
    assert.equal(w?.hint, undefined, "the stage's own share follows the shift: the API's answer is the alias's");
    assert.equal(w?.said, 'the Prod stage calls the alias "live", but 10 % of its requests go to its canary, which calls Lambda version 5: those answers do not follow the shift');
  });
});

describe('stageElsewhere reads the stage from the cloud', () => {
  let cloud: CanaryCloud;
  before(async () => {
    cloud = await startCanaryCloud(undefined, { readsVariable: true });
  });
  after(async () => {
    await cloud?.close();
  });

  it('is silent while the stage calls "live", and names the version once lambdaAlias does', async () => {
    const ctx = cloud.contextFor('blue-green');
    const signal = new AbortController().signal;
    assert.equal(await stageElsewhere(ctx, signal), undefined);
    const api = cloud.record.apis[0]!;
    await cloud.clients.apiGateway.send(new UpdateStageCommand({ restApiId: api.restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: '1' }] }));
    const w = await stageElsewhere(ctx, signal);
    assert.equal(w?.calls, 'v1');
    assert.match(w!.said, /^the Prod stage calls Lambda version 1 \(its stage variable lambdaAlias=1\), not the alias "live"/);
    assert.ok(w!.said.includes(`\n$ aws apigateway update-stage --rest-api-id ${api.restApiId} --stage-name Prod --patch-operations op=replace,path=/variables/lambdaAlias,value=live`), w!.said);
  });
});

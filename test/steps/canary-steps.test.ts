/**
 * The canary chapter's steps on the solver path (--ci): for each, the live checks fail before the
 * reference change and pass after it, against the embedded cloud through the SDK clients, with
 * version 3 of the app (templates/canary/src) published as the canary's version.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLiveChecks } from '../../src/lab/check.js';
import { solveStep } from '../../src/lab/solver.js';
import { explainOf } from '../../src/lab/step.js';
import { fakeContext } from '../helpers/lab-context.js';
import { canarySteps } from '../../src/steps/canary.js';
import { EVEN_MEASURE_REQUESTS, startCanaryCloud, type CanaryCloud } from './canary-fixture.js';
import type { RecordingIoHost } from '../../src/io/recording.js';

describe('the canary chapter on the solver path', () => {
  let cloud: CanaryCloud;
  before(async () => {
    cloud = await startCanaryCloud();
  });
  after(() => cloud.close());

  for (const step of canarySteps) {
    it(`${step.id}: checks fail before the change and pass after it`, async () => {
      const ctx = cloud.contextFor(step.id);
      const io = ctx.io as RecordingIoHost;
      const printedBefore = io.of('command').length;
      const result = await solveStep(step, ctx, { pollMs: 50 });
      // the log names the commands the lab ran, as for an alarm or a reservation (it named none)
      const printed = io.of('command').slice(printedBefore).map((e) => e.text).join('\n');
      const ran = { 'canary-stage-variable': /apigateway put-integration /, 'canary-create': /apigateway create-deployment .*--canary-settings/s, 'canary-rollback': /apigateway update-stage /, 'canary-promote': /apigateway update-stage / }[step.id];
      assert.ok(ran, step.id);
      assert.match(printed, ran, `${step.id} printed: ${printed}`);
      assert.equal(result.outcome, 'passed', `${result.instructorMessage ?? ''} ${JSON.stringify(result.after.filter((r) => r.status !== 'passed'))}`);
      assert.ok(result.preCheckFailedAsExpected);
      // a measured share says what it measured beside the version it counted, not the version alone
      const measured = result.after.find((r) => / requests reach the new version$/.test(r.name));
      if (measured) assert.match(measured.found ?? '', /^(0|100)\.0 % of \d+ requests on Lambda version \d+, the new one$/, JSON.stringify(measured));
      if (step.id === 'canary-rollback' || step.id === 'canary-promote') assert.ok(measured, `${step.id} measures the split`);
      // the split view's rows: a version is the canary's only while the stage has one; after the
      // promotion the new version is the stage's own deployment (the old code said "canary … 100.0 %")
      const rows = (ctx.io as RecordingIoHost).of('live').filter((e) => (e.data as { final: boolean }).final).flatMap((e) => (e.data as { lines: string[] }).lines).filter((l) => / → Lambda v\d+ /.test(l));
      // each row in words: the way its requests went (the canary at its share, the stage through its alias) and the version
      if (step.id === 'canary-create') {
        assert.ok(rows.some((l) => /^canary at 10 % → Lambda v\d+ /.test(l)), rows.join('\n'));
        assert.ok(rows.some((l) => /^stage via alias live → Lambda v\d+ /.test(l)), rows.join('\n'));
      }
      if (step.id === 'canary-promote' || step.id === 'canary-rollback') {
        assert.ok(rows.length > 0, `${step.id} shows the split`);
        assert.ok(rows.every((l) => /^stage /.test(l) && !l.includes('canary')), rows.join('\n'));
      }
      if (step.id === 'canary-promote') assert.ok(rows.some((l) => / 100\.0 %$/.test(l)), rows.join('\n'));
      // the stage's variables in words, as the other findings say them (it said {"lambdaAlias":"live"})
      const asBefore = result.after.find((r) => r.name === "the stage's deployment and variables are as before the canary");
      if (step.id === 'canary-rollback') assert.match(asBefore?.found ?? '', /^deployment \w+, lambdaAlias=live$/, JSON.stringify(asBefore));
      // every command the step prints names real ids once prepared
      const shown = await step.solve.show(ctx);
      assert.doesNotMatch(shown.command ?? '', /REST_API_ID|RESOURCE_ID|FUNCTION_ARN|VERSION\b/);
    });
  }

  it('the create step names r on a terminal only: --ci presses no key (its log said "Then press r")', () => {
    const create = canarySteps.find((s) => s.id === 'canary-create')!;
    const words = (ci: boolean) => explainOf(create, fakeContext({ ci })).join('\n');
    assert.match(words(false), /names it\. Then press r: once the stage shows the canary, the lab counts 5,000 answers by version\./);
    assert.match(words(true), /names it\. Once the stage shows the canary, the lab counts 5,000 answers by version\./);
    assert.doesNotMatch(words(true), /press/);
  });

  it("the rollback's stage check, after the promotion, says both stages in words", async () => {
    const rollback = canarySteps.find((s) => s.id === 'canary-rollback')!;
    const check = rollback.liveChecks.find((c) => c.name === "the stage's deployment and variables are as before the canary")!;
    const [r] = await runLiveChecks([check], cloud.contextFor('canary-rollback'));
    assert.equal(r!.status, 'not-yet');
    assert.match(r!.expected ?? '', /^deployment \w+, lambdaAlias=live$/, JSON.stringify(r));
    assert.match(r!.found ?? '', /^deployment \w+, lambdaAlias=\d+$/, JSON.stringify(r));
  });

  it('keeps the figures the report needs: the measured share (exactly the setting on this even-split cloud), the rollback and the promotion', () => {
    const f = cloud.figures;
    const share = f['canary-create']!.canaryShare as number;
    console.log(`canary share ${share} % of ${String(f['canary-create']!.requests)} requests; by version ${JSON.stringify(f['canary-create']!.byVersion)}, by status ${JSON.stringify(f['canary-create']!.byStatus)}`);
    assert.equal(f['canary-create']!.requests, EVEN_MEASURE_REQUESTS.split);
    assert.ok(Math.abs(share - 10) <= 2, `share ${share}`);
    // the fixture's cloud draws the split evenly: over a multiple of its period, the setting itself
    assert.equal(share, 10);
    assert.equal(f['canary-rollback']!.requests, EVEN_MEASURE_REQUESTS.sample);
    assert.equal(f['canary-rollback']!.canaryShare, 0);
    assert.equal(f['canary-promote']!.canaryShare, 100);
    assert.equal(f['canary-create']!.version, '2');
    assert.equal(f['canary-create']!.liveVersion, '1');
  });
});

/**
 * What `reset canary-create` says the cloud keeps: the integration through the stage variable stays
 * unless a deploy of sam-app/ changed the API, which puts the template's integration back (the local
 * deployer's put-integration, as CloudFormation would; canary-promote-integration-reset.test). It
 * said "deploying sam-app/ changes neither", untrue for a deploy whose API changed.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { canarySteps } from '../../src/steps/canary.js';

it("reset canary-create says a deploy of a changed API puts the template's integration back, and the way to make it again", () => {
  const onReset = canarySteps.find((s) => s.id === 'canary-create')!.onReset!;
  assert.doesNotMatch(onReset, /deploying sam-app\/ changes neither\)/);
  assert.match(
    onReset,
    /and so does the integration through \$\{stageVariables\.lambdaAlias\} \(a deploy of sam-app\/ changes neither, unless its API changed: then the integration is the template's again, and reset canary-stage-variable, then start, makes it again\)\./,
  );
});

/**
 * A deploy that starts a CodeDeploy shift while the learner is in the canary chapter says so (a
 * learner walk: app.mjs deployed between canary-stage-variable and canary-create started a
 * Linear10 shift 2 → 5 that nothing mentioned); outside the chapter it says nothing more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canaryChapterShift } from '../../src/commands/deploy-stage.js';

const shift = { deploymentId: 'd-1', functionName: 'f', alias: 'live', from: '2', to: '5' };
const done = { status: 'done' };

test('in the canary chapter, a shift of live is said, with the step next', () => {
  const said = canaryChapterShift({ 'hooks-errors': done, 'canary-stage-variable': done }, shift) ?? '';
  assert.match(said, /^the lab is in the canary chapter \(canary-create next\), and this deploy starts a CodeDeploy shift of live from Lambda version 2 to 5/);
  assert.match(said, /not API Gateway's canary/);
  assert.ok(canaryChapterShift({ 'canary-stage-variable': { status: 'started' } }, shift));
});

test('before the chapter, after it, or with no progress: nothing', () => {
  assert.equal(canaryChapterShift({ 'hooks-errors': done }, shift), undefined);
  assert.equal(canaryChapterShift({ 'canary-stage-variable': done, 'canary-create': done, 'canary-rollback': done, 'canary-promote': done }, shift), undefined);
  assert.equal(canaryChapterShift(undefined, shift), undefined);
});

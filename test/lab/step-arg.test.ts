/**
 * A step named on the command line (`step`, `start --from`, `reset`) with a slip in it gets the
 * nearest id, as commander answers `--form` with (Did you mean --from?): `step canary-craete`
 * listed every step and left the learner to find the one they meant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namedStep } from '../../src/commands/step-arg.js';
import { UsageError } from '../../src/errors.js';

function refusal(id: string): UsageError {
  try {
    namedStep(id);
  } catch (err) {
    assert.ok(err instanceof UsageError);
    return err;
  }
  assert.fail(`${id} was taken`);
}

test('a misspelt step or chapter id: the nearest id is suggested, the list of ids still given', () => {
  for (const [typo, meant] of [
    ['canary-craete', 'canary-create'],
    ['hooks-alrm', 'hooks-alarm'],
    ['concurency', 'concurrency'],
    ['Blue-Green', 'blue-green'],
  ]) {
    const err = refusal(typo!);
    assert.equal(err.message, `no step "${typo}" (Did you mean ${meant}?)`);
    assert.match(err.hint ?? '', /^steps: deploy, blue-green, /);
  }
});

test('an id near none: refused with the list alone, as before', () => {
  assert.equal(refusal('nosuch').message, 'no step "nosuch"');
  assert.equal(refusal('x').message, 'no step "x"');
  assert.equal(namedStep('canary').id, 'canary-stage-variable');
});

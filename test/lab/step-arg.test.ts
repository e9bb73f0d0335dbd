/**
 * A step named on the command line (`step`, `start --from`, `reset`) with a slip in it gets the
 * nearest id, as commander answers `--form` with (Did you mean --from?): `step canary-craete`
 * listed every step and left the learner to find the one they meant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namedStep, stepName } from '../../src/commands/step-arg.js';
import { errorLines } from '../../src/io/format.js';
import { LAB_OUTLINE } from '../../src/steps/outline.js';
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
    assert.match(err.hint ?? '', /^a step by its number \(1 to 14, as list shows them\) or its id:\n1 deploy, 2 blue-green, /);
  }
});

test('an id near none: refused with the list alone, as before', () => {
  assert.equal(refusal('nosuch').message, 'no step "nosuch"');
  assert.equal(refusal('x').message, 'no step "x"');
  assert.equal(namedStep('canary').id, 'canary-stage-variable');
});

test('a step by its number, as list numbers them: step 2 is blue-green; a number of no step is refused, saying that numbers work', () => {
  assert.equal(namedStep('2').id, 'blue-green');
  assert.equal(namedStep('1').id, 'deploy');
  assert.equal(namedStep('14').id, 'wrap-up');
  assert.equal(stepName('3'), 'hooks-failing');
  // an id or a chapter stays as given: `step canary` is the chapter
  assert.equal(stepName('canary'), 'canary');
  for (const n of ['0', '15', '99']) {
    const err = refusal(n);
    assert.equal(err.message, `no step "${n}"`);
    assert.match(err.hint!, /^a step by its number \(1 to 14, as list shows them\) or its id:$/m);
  }
});

test('the list of steps in the refusal fits 80 columns through a pipe (it was one line of 315): each line of the hint, indented by two, and the chapters too', () => {
  const lines = refusal('nosuch').hint!.split('\n');
  assert.ok(lines.length > 3, lines.join('\n'));
  for (const l of lines) assert.ok(2 + l.length <= 80, `${2 + l.length} columns: ${l}`);
  const all = lines.join(' ');
  LAB_OUTLINE.forEach((s, i) => assert.ok(all.includes(`${i + 1} ${s.id}`), s.id));
  assert.match(lines.at(-1)!, /^or a chapter: deploy, blue-green, hooks-alarms, canary, concurrency, wrap-up$/);
  // the plain face (a pipe) keeps its lines, each under the two spaces
  const printed = errorLines('error: no step "nosuch"', refusal('nosuch').hint, Infinity);
  assert.deepEqual(printed.slice(1), lines.map((l) => `  ${l}`));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from '../../src/steps/canary/context.js';
import { overridesInWords } from '../../src/steps/canary/lesson.js';
import { answersInWords, weightsInWords } from '../../src/steps/shared/words.js';
import { NO_VERSION, type Split } from '../../src/targets/version-split.js';

const split = (byVersion: Record<string, number>, byStatus: Record<string, number> = { 200: 5000 }): Split => ({ byVersion, byStatus, sent: 5000, errors: 0 });

test("the canary's split view names each row by the way its requests went (the canary at its share, or the stage through its alias) and the Lambda version, within 80 columns", () => {
  const lines = splitLines(split({ 2: 4493, 5: 507 }), { canary: '5', canaryPercent: 10, stageCalls: 'live' }, 5000);
  assert.match(lines[0]!, /^stage via alias live → Lambda v2 +█+·+ +4493 +89\.9 %$/);
  assert.match(lines[1]!, /^canary at 10 % → Lambda v5 +█+·+ +507 +10\.1 %$/);
  assert.equal(lines[2], '5000 of 5000 requests sent');
  // the bars start in one column; no row is wider than an 80-column terminal's live region (79)
  assert.equal(lines[0]!.indexOf('█'), lines[1]!.indexOf('█'));
  for (const l of lines) assert.ok(l.length <= 79, l);
  assert.doesNotMatch(lines.join('\n'), /version 5 +canary|version 2 +stage/);
  // after a promotion the stage calls the version itself, and has no canary: every row is the stage's
  const promoted = splitLines(split({ 5: 100 }), { stageCalls: '5' }, 100);
  assert.match(promoted[0]!, /^stage → Lambda v5 +█+ +100 +100\.0 %$/);
  // in the --ci log each line has the clock before it (9 columns): a row with it fits 80, double-digit versions too
  const later = splitLines(split({ 10: 4493, 11: 507 }), { canary: '11', canaryPercent: 10, stageCalls: 'live' }, 5000);
  for (const l of [...lines, ...later]) assert.ok(`16:01:02 ${l}`.length <= 80, `${`16:01:02 ${l}`.length}: ${l}`);
  assert.match(later[0]!, /^stage via alias live → Lambda v10 +█+·+ +4493 +89\.9 %$/);
  // answers that named no version keep their own line
  assert.match(splitLines(split({ 2: 10, [NO_VERSION]: 3 }, { 200: 10, 502: 3 }), { stageCalls: 'live' }, 13).join('\n'), /no version named \(502\): 3/);
});

test('findings say counts in words, never as JSON', () => {
  assert.equal(answersInWords({ 200: 980, 504: 20 }), '980 answered 200, 20 answered 504');
  assert.equal(answersInWords({}), 'no answer');
  assert.equal(overridesInWords({ lambdaAlias: '5' }), ' with lambdaAlias set to 5 for its share');
  assert.equal(overridesInWords({}), '');
  assert.equal(weightsInWords({ 3: 0.1 }), 'Lambda version 3 at 10 %');
  for (const s of [answersInWords({ 200: 1 }), overridesInWords({ a: 'b' }), weightsInWords({ 1: 0.5 })]) assert.doesNotMatch(s, /[{}"]/);
});

/**
 * steps/outline.ts says, without loading the steps' code, what the steps themselves say: each id,
 * title and chapter in order (list prints them; start --from, step and reset check a named step
 * against them). A title or chapter changed in a step module and not here fails this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANARY_CHAPTER, findInOutline, LAB_OUTLINE, REFERENCE_ORDER } from '../../src/steps/outline.js';
import { findStep, LAB_STEPS, REFERENCE_ORDER as INDEX_REFERENCE_ORDER } from '../../src/steps/index.js';
import { CHAPTER } from '../../src/steps/canary/context.js';

test('the outline is the steps: same ids, titles and chapters, in the same order', () => {
  assert.deepEqual(
    LAB_OUTLINE.map((s) => ({ id: s.id, title: s.title, chapter: s.chapter })),
    LAB_STEPS.map((s) => ({ id: s.id, title: s.title, chapter: { ...s.chapter } })),
  );
  assert.deepEqual(CANARY_CHAPTER, CHAPTER);
  assert.equal(INDEX_REFERENCE_ORDER, REFERENCE_ORDER);
});

test('a step or a chapter named on the command line is found as findStep finds it', () => {
  const names = [...new Set([...LAB_STEPS.map((s) => s.id), ...LAB_STEPS.map((s) => s.chapter.id)]), 'nosuch', 'Canary', ''];
  for (const name of names) assert.equal(findInOutline(name)?.id, findStep(name)?.id, name);
});

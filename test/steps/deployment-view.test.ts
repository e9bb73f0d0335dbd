/**
 * The deployment view's count of sampled answers says what is true at every weight: at 0 % the new
 * version is named with 0 (none of its answers), before the first answer it says none came back
 * yet; never a dash where a figure is expected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampledAnswers } from '../../src/steps/shared/deployment-view.js';

const none = { answers: {}, failed: {}, unanswered: 0 };

test('before the first sampled answer comes back: none back yet, with how many were sent', () => {
  assert.equal(sampledAnswers({ ...none, versions: ['2', '3'], sent: 4 }), 'answers none back yet (4 sent)');
});

test('at 0 % (a hook holds the release): the old version answers, the new one is named with 0', () => {
  assert.equal(sampledAnswers({ ...none, answers: { '2': 14 }, versions: ['2', '3'], sent: 20 }), 'answers v2: 14, v3: 0');
});

test('mid-shift and after: both versions with their counts, a version outside the shift after them', () => {
  assert.equal(sampledAnswers({ ...none, answers: { '3': 5, '2': 9 }, versions: ['2', '3'], sent: 16 }), 'answers v2: 9, v3: 5');
  assert.equal(sampledAnswers({ ...none, answers: { '1': 1, '3': 2 }, versions: ['2', '3'], sent: 3 }), 'answers v2: 0, v3: 2, v1: 1');
});

test('only failures, and requests that got no answer: said as such, the 200s still counted per version', () => {
  assert.equal(sampledAnswers({ answers: {}, failed: { '502': 3 }, unanswered: 0, versions: ['3', '4'], sent: 3 }), 'answers v3: 0, v4: 0 · failed [502] 3');
  assert.equal(sampledAnswers({ answers: {}, failed: {}, unanswered: 2, versions: ['?', '?'], sent: 2 }), 'answers no 200 · no answer 2');
});

test('a view that sends no requests shows no count at all', () => {
  assert.equal(sampledAnswers({ ...none, versions: ['2', '3'], sent: undefined }), '');
});

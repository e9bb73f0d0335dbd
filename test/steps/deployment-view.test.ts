/**
 * The deployment view's count of sampled answers says what is true at every weight: at 0 % the new
 * version is named with 0 (none of its answers), before the first answer it says none came back
 * yet; never a dash where a figure is expected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footLines, sampledAnswers, statusLines } from '../../src/steps/shared/deployment-view.js';

const none = { answers: {}, failed: {}, unanswered: 0 };

test('before the first sampled answer comes back: none back yet, with how many were sent', () => {
  assert.equal(sampledAnswers({ ...none, versions: ['2', '3'], sent: 4 }), 'no answer back yet (4 sent)');
});

test('a view that ended before the first answer came back says none came back before its end, not yet', () => {
  assert.equal(sampledAnswers({ ...none, versions: ['2', '3'], sent: 2, ended: true }), 'the view ended before any of its 2 sample requests answered');
  // once answers came back, the last frame counts them as any other
  assert.equal(sampledAnswers({ ...none, answers: { '2': 3 }, versions: ['2', '3'], sent: 4, ended: true }), 'answers from Lambda v2: 3, v3: 0');
});

test('at 0 % (a hook holds the release): the old version answers, the new one is named with 0', () => {
  assert.equal(sampledAnswers({ ...none, answers: { '2': 14 }, versions: ['2', '3'], sent: 20 }), 'answers from Lambda v2: 14, v3: 0');
});

test('mid-shift and after: both versions with their counts, a version outside the shift after them', () => {
  assert.equal(sampledAnswers({ ...none, answers: { '3': 5, '2': 9 }, versions: ['2', '3'], sent: 16 }), 'answers from Lambda v2: 9, v3: 5');
  assert.equal(sampledAnswers({ ...none, answers: { '1': 1, '3': 2 }, versions: ['2', '3'], sent: 3 }), 'answers from Lambda v2: 0, v3: 2, v1: 1');
});

test('only failures, and requests that got no answer: said as such, the 200s still counted per version', () => {
  assert.equal(sampledAnswers({ answers: {}, failed: { '502': 3 }, unanswered: 0, versions: ['3', '4'], sent: 3 }), "answers from Lambda v3: 0, v4: 0 · failed [502] 3 (the function's errors: no version named)");
  assert.equal(sampledAnswers({ answers: {}, failed: {}, unanswered: 2, versions: ['?', '?'], sent: 2 }), 'answers no 200 · no answer 2');
});

test('a failed answer that names its version counts under that version: a version that answered only 500s got traffic', () => {
  // the learner's version 4 returns statusCode 500 (X-Function-Version: 4): not "v4: 0"
  const failedFrom = { '4': { '500': 96 } };
  assert.equal(sampledAnswers({ answers: { '2': 152 }, failed: { '500': 96 }, failedFrom, unanswered: 0, versions: ['2', '4'], sent: 248 }), 'answers from Lambda v2: 152, v4: 96 failed [500]');
  // beside 200s of its own, and beside failures that name no version (API Gateway's 502 for a throw)
  const mixed = { '4': { '500': 9, '400': 1 } };
  assert.equal(
    sampledAnswers({ answers: { '2': 20, '4': 3 }, failed: { '500': 9, '400': 1, '502': 2 }, failedFrom: mixed, unanswered: 0, versions: ['2', '4'], sent: 35 }),
    "answers from Lambda v2: 20, v4: 3 + 1 failed [400] + 9 failed [500] · failed [502] 2 (the function's errors: no version named)",
  );
  // before any 200: the version that failed is named, not "none back yet"
  assert.equal(sampledAnswers({ answers: {}, failed: { '500': 2 }, failedFrom: { '4': { '500': 2 } }, unanswered: 0, versions: ['3', '4'], sent: 2 }), 'answers from Lambda v3: 0, v4: 2 failed [500]');
});

test("API Gateway's 502 (a function that threw) names no version, and the count says so: the new version at 0 beside it got traffic all the same", () => {
  // hooks-alarm's version 4 throws on every request: API Gateway answers 502 with no X-Function-Version
  assert.equal(
    sampledAnswers({ answers: { '2': 152 }, failed: { '502': 96 }, unanswered: 0, versions: ['2', '4'], sent: 248 }),
    "answers from Lambda v2: 152, v4: 0 · failed [502] 96 (the function's errors: no version named)",
  );
  // another status that names no version is counted as before
  assert.equal(sampledAnswers({ answers: { '2': 5 }, failed: { '504': 1 }, unanswered: 0, versions: ['2', '4'], sent: 6 }), 'answers from Lambda v2: 5, v4: 0 · failed [504] 1');
});

test('a view that sends no requests shows no count at all', () => {
  assert.equal(sampledAnswers({ ...none, versions: ['2', '3'], sent: undefined }), '');
});

const LINEAR = 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute';

test('the first line fits an 80-column terminal: the configuration on its own line, by its full name, whatever the event', () => {
  for (const event of ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic', 'BeforeAllowTraffic failed', undefined]) {
    const lines = statusLines('InProgress', event, LINEAR, 80);
    assert.deepEqual(lines, [`InProgress${event ? ` · ${event}` : ''}`, LINEAR]);
    for (const l of lines) assert.ok(l.length < 80, l);
  }
});

test('where the widest status and event fit beside the configuration: one line, as before', () => {
  assert.deepEqual(statusLines('InProgress', 'BeforeAllowTraffic', LINEAR, 100), [`InProgress · BeforeAllowTraffic · ${LINEAR}`]);
  assert.deepEqual(statusLines('Succeeded', 'AfterAllowTraffic', 'CodeDeployDefault.LambdaAllAtOnce', 80), ['Succeeded · AfterAllowTraffic · CodeDeployDefault.LambdaAllAtOnce']);
  assert.deepEqual(statusLines('Created', undefined, undefined, 80), ['Created']);
});

test("the answers name Lambda's versions, as the rows above them do, and share the next shift's line only where both fit", () => {
  const answers = sampledAnswers({ answers: { '12': 53, '13': 4 }, failed: { '502': 3 }, unanswered: 1, versions: ['12', '13'], sent: 61 });
  assert.equal(answers, "answers from Lambda v12: 53, v13: 4 · failed [502] 3 (the function's errors: no version named) · no answer 1");
  // 80 columns: 'next shift in ~6 s · ' beside it would be 88 wide
  assert.deepEqual(footLines('next shift in ~6 s', answers, 80), ['next shift in ~6 s', answers]);
  assert.deepEqual(footLines('next shift in ~6 s', answers, 160), [`next shift in ~6 s · ${answers}`]);
  assert.deepEqual(footLines('next shift in ~6 s', 'answers from Lambda v1: 3, v2: 0', 80), ['next shift in ~6 s · answers from Lambda v1: 3, v2: 0']);
  assert.deepEqual(footLines('', answers, 80), [answers]);
  assert.deepEqual(footLines('', '', 80), []);
});

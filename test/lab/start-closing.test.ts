/** start's last line when the run passed: this run's steps, and the lab's in all when earlier sessions did some. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passedLine, readyLine, stepFailed } from '../../src/commands/start.js';

const run = (n: number) => ({ steps: Array.from({ length: n }, () => ({}) as never), durationMs: 12_345 });

test('a run that did the whole lab: the run alone, as before', () => {
  assert.equal(passedLine(run(14), 14, 14), '14 steps passed in 12.3 s');
});

test('a run with nothing left to do adds no line: the runner has said "every step is done" and what next', () => {
  assert.equal(passedLine(run(0), 14, 14), undefined);
});

test('1-6 yesterday, 7-13 and the wrap-up today: the lab is done, not "8 steps" of it', () => {
  assert.equal(passedLine(run(8), 14, 14), '8 steps passed in 12.3 s; with earlier sessions, all 14 steps of the lab are done');
  // `step canary-create` in a lab half done
  assert.equal(passedLine(run(1), 7, 14), "1 step passed in 12.3 s; with earlier sessions, 7 of the lab's 14 steps are done");
});

const IDS = Array.from({ length: 14 }, (_, i) => `s${i + 1}`);

test('--ci says the machine is ready for the class once every step of the lab passed in this run, and not after some of them', () => {
  assert.equal(readyLine(IDS, IDS, 'local', '/ws'), 'ready for the class: all 14 steps of the lab pass on this machine');
  assert.equal(readyLine(IDS, IDS, 'aws', '/ws'), 'ready for the class: all 14 steps of the lab pass on this machine against this AWS account');
  // `step canary --ci` in a fresh workspace proves its steps only, and says no more than its passed line
  assert.equal(readyLine(IDS.slice(7, 14), IDS, 'local'), undefined);
});

test('--ci that went on from step 10 of a learner\'s workspace is not "ready": it says what it checked and what it did not run', () => {
  // all 14 were done after it, and the old verdict counted them: "ready for the class: all 14 steps"
  const line = readyLine(IDS.slice(9), IDS, 'local', '/ws') ?? '';
  assert.doesNotMatch(line, /ready for the class/);
  assert.match(line, /^not a check of the whole lab: steps 10–14 pass on this machine in this run; steps 1–9 were done before it \(progress\.json\) and not run in it\. To check every step: .* start (-- )?--ci --workspace '?<a new folder>'?$/);
  // one step on either side is one step (it said `steps 1 were done before it`)
  assert.match(readyLine(IDS.slice(1), IDS, 'local', '/ws') ?? '', /^not a check of the whole lab: steps 2–14 pass on this machine in this run; step 1 was done before it \(progress\.json\)/);
  assert.match(readyLine(['s14'], IDS, 'local', '/ws') ?? '', /^not a check of the whole lab: step 14 passes on this machine in this run; steps 1–13 were done before it/);
  // every step done before: nothing ran, nothing checked
  assert.match(readyLine([], IDS, 'aws', '/ws') ?? '', /^not a check of this machine: no step ran in this run \(all 14 were done before it, progress\.json\)\. To check every step: .* start (-- )?--ci --target aws --workspace/);
});

test('a step that did not pass: --ci ends with what went wrong, for the instructor; a terminal (a catch-up, --assisted) with the step command to make it yourself', () => {
  const failed = { id: 'concurrency-baseline', instructorMessage: 'after the reference change, load test: expected every answer 200, found 52 x 504', learnerMessage: 'not yet' };
  const ci = stepFailed(failed, true, { workspace: '/ws', target: 'local' });
  assert.equal(ci.message, 'step concurrency-baseline did not pass');
  assert.equal(ci.hint, failed.instructorMessage);
  const learner = stepFailed(failed, false, { workspace: '/ws', target: 'local' });
  assert.equal(learner.message, 'step concurrency-baseline did not pass');
  assert.match(learner.hint ?? '', /^to make it yourself, with its checks and hints: .*step concurrency-baseline --workspace \/ws$/);
});

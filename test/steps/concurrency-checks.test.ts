/**
 * The load-test checks of the concurrency chapter quote the load test whose figures they read: a
 * run kept from the workshop's size (-n 1000 -c 50), checked under --ci, is not shown beside the
 * --ci size (-n 90 -c 30), a command that did not make its figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineStep, throttledStep } from '../../src/steps/concurrency.js';
import { fakeContext } from '../helpers/lab-context.js';

const splitCheck = throttledStep.liveChecks.find((c) => /split between 200s and throttled/.test(c.name))!;
const allOkCheck = baselineStep.liveChecks.find((c) => /every answer 200/.test(c.name))!;
const size = (cmd: string) => /loadtest -n (\d+) -c (\d+) /.exec(cmd)?.slice(1).map(Number);

test('a throttled run of the workshop\'s size found done under --ci: its check shows -n 1000 -c 50 beside its figures, not --ci\'s -n 90 -c 30', async () => {
  const ctx = fakeContext({ ci: true });
  ctx.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 380, '500': 620 }, stoppedEarly: false };
  const outcome = await splitCheck.run(ctx, new AbortController().signal);
  assert.equal(outcome.status, 'passed');
  assert.match(outcome.status === 'passed' ? outcome.found ?? '' : '', /380 × 200, 620 throttled/);
  assert.deepEqual(size(splitCheck.aws(ctx)), [1000, 50], splitCheck.aws(ctx));
  // the baseline's the same way: a --ci run of 40 × 20 checked without --ci
  const workshop = fakeContext({ ci: false });
  workshop.figuresOf['concurrency-baseline'] = { requests: 40, concurrency: 20, statusCounts: { '200': 40 }, stoppedEarly: false };
  assert.equal((await allOkCheck.run(workshop, new AbortController().signal)).status, 'passed');
  assert.deepEqual(size(allOkCheck.aws(workshop)), [40, 20], allOkCheck.aws(workshop));
});

test('before a run, or after one stopped early, the check shows the load test the lab would run', () => {
  const ctx = fakeContext({ ci: true });
  assert.deepEqual(size(splitCheck.aws(ctx)), [90, 30]);
  assert.deepEqual(size(allOkCheck.aws(ctx)), [40, 20]);
  // stopped after 312 of 1000 requests: 312 is no size to run again
  ctx.figuresOf['concurrency-throttled'] = { requests: 312, concurrency: 50, statusCounts: { '200': 300 }, stoppedEarly: true };
  assert.deepEqual(size(splitCheck.aws(ctx)), [90, 30]);
  const workshop = fakeContext({ ci: false });
  assert.deepEqual(size(splitCheck.aws(workshop)), [1000, 50]);
});

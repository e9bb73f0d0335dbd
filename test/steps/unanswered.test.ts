/**
 * Requests that got no answer at all (a cloud stopped: the API's port refused them) are the
 * environment's trouble, not the learner's:
 * - the canary's measurement counted only answers that named no version, so 500 of 500 refused
 *   came out as "not yet: found 0.0 %" with a hint blaming the learner's stage (and a rollback's
 *   0 % sample passed on no answer at all); more than 5 % without an answer is "could not check",
 *   saying what the lab could not reach and the fix;
 * - concurrency-baseline's hint said the requests "timed out (30 s …)" when they were refused at
 *   once (ECONNREFUSED).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { canarySteps } from '../../src/steps/canary.js';
import { baselineStep } from '../../src/steps/concurrency.js';
import { measureSplit } from '../../src/targets/version-split.js';
import { fakeContext } from '../helpers/lab-context.js';
import type { FigureValue } from '../../src/lab/context.js';

const API = 'http://127.0.0.1:4566/restapis/abc/Prod/_user_request_/getinfo';
const ctxWith = (figures: Record<string, Record<string, FigureValue>>) =>
  fakeContext({ allFigures: () => figures, deployment: () => ({ target: 'local', outputs: { ApiUrl: API }, changes: [], warnings: [] }) as never });
const measured = (id: string) => canarySteps.find((s) => s.id === id)!.liveChecks.find((c) => c.measured)!;
const refused = (n: number) => ({ requests: n, noVersionNamed: 0, byVersion: {}, byStatus: {}, canaryShare: 0, unanswered: { ECONNREFUSED: n } });

/** a port nothing listens on: one the system gave, closed again */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('a measurement whose requests were refused keeps why, per request', async () => {
  const port = await closedPort();
  const split = await measureSplit({ url: `http://127.0.0.1:${port}/x`, requests: 6, concurrency: 2, rampEvery: 0 });
  assert.equal(split.errors, 6);
  assert.deepEqual(split.unanswered, { ECONNREFUSED: 6 });
});

for (const [id, want] of [
  ['canary-create', 'the 10 % share'],
  ['canary-rollback', 'a 0 % sample'],
  ['canary-promote', 'a 100 % sample'],
] as const) {
  test(`${id}: ${want} measured on requests all refused is "could not check", with what the lab could not reach`, async () => {
    const ctx = ctxWith({ [id]: refused(500), 'canary-create': { version: '3', ...(id === 'canary-create' ? refused(500) : {}) } });
    const r = (await measured(id).run(ctx, new AbortController().signal)) as { status: string; what?: string; fix?: string; refused?: boolean };
    assert.equal(r.status, 'could-not-check', JSON.stringify(r));
    assert.equal(r.what, `reach the API at ${API}: 500 of 500 requests got no answer: 500 refused (ECONNREFUSED)`);
    assert.equal(r.fix, ctx.environmentFix);
    assert.equal(r.refused, true);
  });
}

test('canary: a few requests without an answer (5 % at most) still measure the split', async () => {
  const ctx = ctxWith({ 'canary-create': { version: '3', requests: 500, noVersionNamed: 0, byVersion: { '3': 48, '2': 427 }, byStatus: { '400': 475 }, canaryShare: 10.1, unanswered: { timeout: 25 } } });
  const r = await measured('canary-create').run(ctx, new AbortController().signal);
  assert.equal(r.status, 'passed', JSON.stringify(r));
});

test('canary: most requests timed out is "could not check", pointing at the cloud\'s log', async () => {
  const ctx = ctxWith({ 'canary-create': { version: '3', requests: 500, noVersionNamed: 0, byVersion: { '3': 10 }, byStatus: { '400': 10 }, canaryShare: 100, unanswered: { timeout: 490 } } });
  const r = (await measured('canary-create').run(ctx, new AbortController().signal)) as { status: string; what?: string; fix?: string };
  assert.equal(r.status, 'could-not-check');
  assert.match(r.what ?? '', /490 of 500 requests got no answer: 490 timed out$/);
  assert.match(r.fix ?? '', /cloud's log/);
});

test('concurrency-baseline: requests refused are said as refused, not as timed out', async () => {
  const check = baselineStep.liveChecks.find((c) => /every answer 200/.test(c.name))!;
  const ctx = ctxWith({ 'concurrency-baseline': { requests: 1000, concurrency: 50, statusCounts: {}, stoppedEarly: false, unanswered: { 'connect ECONNREFUSED 127.0.0.1:4566': 1000 } } });
  const r = (await check.run(ctx, new AbortController().signal)) as { status: string; found?: string; hint?: string };
  assert.equal(r.status, 'not-yet');
  assert.match(r.found ?? '', /1000 without an answer/);
  assert.doesNotMatch(r.hint ?? '', /timed out/);
  assert.match(r.hint ?? '', /^the requests without an answer were 1000 refused \(ECONNREFUSED\): nothing listened at the API's address/);
  assert.ok((r.hint ?? '').includes(ctx.environmentFix), r.hint);

  // a run whose requests timed out keeps the timeout's words
  const late = ctxWith({ 'concurrency-baseline': { requests: 1000, concurrency: 50, statusCounts: { 200: 990 }, stoppedEarly: false, unanswered: { 'request timed out after 30 s (-t)': 10 } } });
  const t = (await check.run(late, new AbortController().signal)) as { hint?: string };
  assert.match(t.hint ?? '', /^requests without an answer timed out \(30 s/);
});

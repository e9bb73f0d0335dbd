/** hey's command line → LoadTestOptions: defaults, headers, bodies, durations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { checkOptions, MAX_CONCURRENCY, MAX_PACED_SECONDS, MAX_REQUESTS, parseDuration, parseFlags } from '../../src/loadtest/flags.js';
import { DURATION_MAX_REQUESTS } from '../../src/loadtest/run.js';

test("hey's defaults: -n 200 -c 50 -t 20 -m GET, Content-Type text/html, keep-alive", () => {
  const { options, output } = parseFlags('http://127.0.0.1:3000/x', {});
  assert.equal(options.requests, 200);
  assert.equal(options.concurrency, 50);
  assert.equal(options.timeoutSec, 20);
  assert.equal(options.method, 'GET');
  assert.equal(options.headers['Content-Type'], 'text/html');
  assert.equal(options.keepAlive, true);
  assert.equal(options.durationMs, undefined);
  assert.equal(options.body, undefined);
  assert.equal(output, 'summary');
});

test('-H overrides -T whatever the case; -A sets Accept last', () => {
  const { options } = parseFlags('http://h/', { T: 'text/plain', H: ['content-type: application/json', 'Accept: a/b'], A: 'c/d' });
  assert.deepEqual(
    Object.entries(options.headers).filter(([k]) => k !== 'User-Agent'),
    [['content-type', 'application/json'], ['Accept', 'c/d']],
  );
});

test('-z takes Go durations and lifts the -n/-c check', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  for (const bad of ['10', 's', '-1s', '0s', '1x', '']) assert.throws(() => parseDuration(bad), UsageError, bad);
  const { options } = parseFlags('http://h/', { z: '2s', n: '1', c: '10' });
  assert.equal(options.durationMs, 2000);
});

test('-d and -D give the body; both at once is a usage error', () => {
  assert.equal(parseFlags('http://h/', { d: 'abc' }).options.body?.toString(), 'abc');
  assert.throws(() => parseFlags('http://h/', { d: 'a', D: '/x' }), /use one of them/);
});

test('--json and -o csv choose the output', () => {
  assert.equal(parseFlags('http://h/', { json: true }).output, 'json');
  assert.equal(parseFlags('http://h/', { o: 'csv' }).output, 'csv');
  assert.equal(parseFlags('http://h/', { disableKeepalive: true }).options.keepAlive, false);
});

test('programmatic options are checked too', () => {
  const ok = parseFlags('http://h/', {}).options;
  assert.throws(() => checkOptions({ ...ok, requests: 10, concurrency: 11 }), UsageError);
  assert.throws(() => checkOptions({ ...ok, concurrency: 0 }), UsageError);
  assert.throws(() => checkOptions({ ...ok, url: 'nope' }), UsageError);
  assert.doesNotThrow(() => checkOptions({ ...ok, requests: 1, concurrency: 5, durationMs: 100 }));
});

test('-n below the hidden -c default: hey\'s rule, and a hint only when -c was not given', () => {
  assert.throws(
    () => parseFlags('http://h/', { n: '5' }),
    (e: UsageError) => e.message === '-n cannot be less than -c (-n 5, -c 50)' && e.hint === '-c defaults to 50; add -c 5 to run 5 requests',
  );
  assert.throws(
    () => parseFlags('http://h/', { n: '5', c: '50' }),
    (e: UsageError) => e.message === '-n cannot be less than -c (-n 5, -c 50)' && e.hint === undefined,
  );
  assert.equal(parseFlags('http://h/', { n: '5', c: '5' }).options.requests, 5);
});

test("-q 0 is no rate limit, as hey's default; a negative -q is refused", () => {
  assert.equal(parseFlags('http://h/', { q: '0' }).options.ratePerWorker, undefined);
  assert.equal(parseFlags('http://h/', {}).options.ratePerWorker, undefined);
  assert.equal(parseFlags('http://h/', { q: '5' }).options.ratePerWorker, 5);
  assert.throws(() => parseFlags('http://h/', { q: '-1' }), /-q cannot be smaller than 0 \(got -1\)/);
});

test("-q takes a fraction, as hey's float64 -q does: 0.5 is one request every 2 s per worker", () => {
  // and, as Go's strconv.ParseFloat reads hey's -q, a sign and an exponent
  for (const [given, rate] of [['0.5', 0.5], ['.25', 0.25], ['2.5', 2.5], ['10.', 10], ['0.001', 0.001], ['1000', 1000], ['1e3', 1000], ['5e-1', 0.5], ['1E2', 100], ['+5', 5]] as const) {
    assert.equal(parseFlags('http://h/', { q: given }).options.ratePerWorker, rate, given);
  }
  assert.throws(() => parseFlags('http://h/', { q: '-0.5' }), /^UsageError: -q cannot be smaller than 0 \(got -0.5\)$/);
  for (const bad of ['fast', '1/2', '0.5qps', '1e', 'e3', '0x10', '', 'NaN', 'Infinity']) {
    assert.throws(
      () => parseFlags('http://h/', { q: bad }),
      (e: UsageError) => e instanceof UsageError && e.message === `-q: "${bad}" is not a number; give requests per second per worker, such as 5 or 0.5`,
      bad,
    );
  }
  assert.throws(() => parseFlags('http://h/', { q: '0.0001' }), /^UsageError: -q must be 0 \(no limit\) or at least 0.001, one request every 1000 s per worker \(got 0.0001\)$/);
  assert.throws(
    () => parseFlags('http://h/', { q: '5000' }),
    (e: UsageError) => e.message === '-q must be at most 1000 requests per second per worker (got 5000)' && e.hint === 'the rate is per worker: for more, add workers (-c)',
  );
  // a number in exponent form out of bounds is said to be out of bounds, not "not a number"
  assert.throws(() => parseFlags('http://h/', { q: '1e9' }), /^UsageError: -q must be at most 1000 requests per second per worker \(got 1e9\)$/);
  assert.throws(() => parseFlags('http://h/', { q: '1e-5' }), /^UsageError: -q must be 0 \(no limit\) or at least 0.001/);
  // a programmatic caller gets the same bounds
  assert.throws(() => checkOptions({ ...parseFlags('http://h/', {}).options, ratePerWorker: 0 }), /-q must be from 0.001 to 1000 requests per second per worker \(got 0\)/);
  assert.doesNotThrow(() => checkOptions({ ...parseFlags('http://h/', {}).options, ratePerWorker: 0.5 }));
});

test('-n is bounded in count as a -z run is (100000), and -c at 1000 workers; bigger is a usage error with the bound', () => {
  assert.equal(MAX_REQUESTS, 100_000);
  assert.equal(DURATION_MAX_REQUESTS, MAX_REQUESTS);
  assert.equal(MAX_CONCURRENCY, 1000);
  assert.equal(parseFlags('http://h/', { n: '100000' }).options.requests, 100_000);
  assert.equal(parseFlags('http://h/', { n: '1000', c: '1000' }).options.concurrency, 1000);
  for (const n of ['100001', '1000000', '1' + '0'.repeat(30)]) {
    assert.throws(
      () => parseFlags('http://h/', { n }),
      (e: UsageError) =>
        e instanceof UsageError &&
        e.message === `-n must be at most 100000 requests (got ${n})` &&
        e.hint === 'a -z run stops at 100000 too: load stays bounded; for more, run it again',
      n,
    );
  }
  // with -z too: -n is ignored there, but a count over the bound is still no count to give
  assert.throws(() => parseFlags('http://h/', { n: '200000', z: '1s' }), /^UsageError: -n must be at most 100000 requests \(got 200000\)$/);
  for (const args of [{ n: '5000', c: '1001' }, { c: '5000', z: '1s' }]) {
    assert.throws(
      () => parseFlags('http://h/', args),
      (e: UsageError) =>
        e instanceof UsageError &&
        e.message === `-c must be at most 1000 workers (got ${args.c})` &&
        e.hint === 'a worker is a connection; the account runs 1000 at once, more are throttled',
    );
  }
  // a programmatic caller gets the same bounds
  const ok = parseFlags('http://h/', {}).options;
  assert.throws(() => checkOptions({ ...ok, requests: 100_001 }), /^UsageError: -n must be at most 100000 requests \(got 100001\)$/);
  assert.throws(() => checkOptions({ ...ok, requests: 2000, concurrency: 1001 }), /^UsageError: -c must be at most 1000 workers \(got 1001\)$/);
});

test('-n at a rate (-q) is bounded in time: a run that would take over an hour is a usage error with its length', () => {
  assert.equal(MAX_PACED_SECONDS, 3600);
  // 50 workers, 2000 requests each, 10 s apart: (2000 - 1) × 10 s, more than 5 hours
  assert.throws(
    () => parseFlags('http://h/', { n: '100000', q: '0.1' }),
    (e: UsageError) =>
      e instanceof UsageError &&
      e.message === '-n 100000 at -q 0.1 with -c 50 takes at least 5 h 33 min: 2000 requests per worker, 10 s apart; a run at a rate may take at most 1 h' &&
      e.hint === 'give fewer requests (-n), more workers (-c) or a higher rate (-q), or use -z',
  );
  assert.throws(() => parseFlags('http://h/', { n: '5', c: '1', q: '0.001' }), /^UsageError: -n 5 at -q 0.001 with -c 1 takes at least 1 h 6 min: 5 requests per worker, 1000 s apart;/);
  // at the bound, and under it, it runs: 3601 requests from one worker at 1/s take 3600 s
  assert.doesNotThrow(() => parseFlags('http://h/', { n: '3601', c: '1', q: '1' }));
  assert.throws(() => parseFlags('http://h/', { n: '3602', c: '1', q: '1' }), /takes at least 1 h: 3602 requests per worker, 1 s apart/);
  // the workshop's sizes at a rate, and a slow rate over few requests per worker, are far from it
  assert.doesNotThrow(() => parseFlags('http://h/', { n: '1000', c: '50', q: '1' }));
  assert.doesNotThrow(() => parseFlags('http://h/', { n: '50', q: '0.001' }), 'one request per worker goes at once');
  // a -z run is bounded by its own duration: -n does not count there
  assert.doesNotThrow(() => parseFlags('http://h/', { n: '100000', q: '0.1', z: '10s' }));
  // a programmatic caller gets the same bound
  const ok = parseFlags('http://h/', {}).options;
  assert.throws(() => checkOptions({ ...ok, requests: 100_000, ratePerWorker: 0.1 }), /^UsageError: -n 100000 at -q 0.1 with -c 50 takes at least 5 h 33 min/);
});

test("a -z run's most requests is a whole number of at least 1", () => {
  const base = parseFlags('http://h/', { z: '1s' }).options;
  assert.equal(base.durationMaxRequests, undefined);
  for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => checkOptions({ ...base, durationMaxRequests: bad }), /the most requests of a -z run must be a whole number of at least 1/);
  assert.doesNotThrow(() => checkOptions({ ...base, durationMaxRequests: 50 }));
});

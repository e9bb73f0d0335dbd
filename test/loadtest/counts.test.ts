/**
 * The load test's counts are the server's counts, exactly: -n requests sent, no more, no fewer,
 * for -c dividing -n or not, with errors, timeouts and resets counted, never dropped.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ABANDONED, DURATION_MAX_REQUESTS, LOST_RESPONSE, runLoadTest } from '../../src/loadtest/run.js';
import type { LoadTestOptions } from '../../src/loadtest/types.js';
import { refusedUrl, startCountingServer } from './counting-server.js';

function options(url: string, requests: number, concurrency: number, more: Partial<LoadTestOptions> = {}): LoadTestOptions {
  return { url, requests, concurrency, timeoutSec: 20, method: 'GET', headers: {}, keepAlive: true, ...more };
}

for (const [n, c] of [[30, 3], [100, 7], [50, 50], [101, 10], [13, 1], [1, 1]] as const) {
  test(`-n ${n} -c ${c}: exactly ${n} requests, counted as the server counted them`, async () => {
    const server = await startCountingServer();
    try {
      const r = await runLoadTest(options(server.url, n, c));
      assert.equal(server.received, n);
      assert.equal(r.sent, n);
      assert.equal(r.responses, n);
      assert.equal(r.errors, 0);
      assert.deepEqual({ ...r.statusCounts }, server.statusCounts);
      assert.equal(r.samples.count, n);
      assert.equal(r.bodyBytes, n * 12);
      // latencies below the millisecond are kept, not rounded to whole ms
      assert.ok(r.samples.latencyMs.some((ms) => ms !== Math.round(ms)));
    } finally {
      await server.close();
    }
  });
}

test('--disable-keepalive: a new connection for every request, every response counted', async () => {
  const server = await startCountingServer();
  try {
    const r = await runLoadTest(options(server.url, 40, 6, { keepAlive: false }));
    assert.equal(server.received, 40);
    assert.equal(server.connections, 40);
    assert.equal(r.responses, 40);
    assert.deepEqual({ ...r.statusCounts }, server.statusCounts);
  } finally {
    await server.close();
  }
});

test('a server that answers `Connection: close`: each request on a new connection, none lost', async () => {
  const server = await startCountingServer((nth) => ({ status: nth % 2 ? 200 : 503, connectionClose: true }));
  try {
    const r = await runLoadTest(options(server.url, 31, 4));
    assert.equal(server.received, 31);
    assert.equal(server.connections, 31);
    assert.equal(r.errors, 0);
    assert.deepEqual({ ...r.statusCounts }, server.statusCounts);
  } finally {
    await server.close();
  }
});

test("a server that closes every 10th request's connection (maxRequestsPerSocket): none lost", async () => {
  const server = await startCountingServer(() => ({ status: 200 }), { maxRequestsPerSocket: 10 });
  try {
    const r = await runLoadTest(options(server.url, 95, 3));
    assert.equal(server.received, 95);
    assert.equal(r.errors, 0, JSON.stringify(r.errorCounts));
    assert.equal(r.responses, 95);
  } finally {
    await server.close();
  }
});

for (const [how, message] of [['close', LOST_RESPONSE], ['reset', 'read ECONNRESET']] as const) {
  test(`connections the server ${how}s unanswered count as errors; the total stays exact`, async () => {
    const server = await startCountingServer((nth) => (nth % 5 === 0 ? how : { status: 200 }));
    try {
      const r = await runLoadTest(options(server.url, 47, 4));
      assert.equal(server.received, 47);
      assert.equal(r.sent, 47);
      assert.equal(r.responses, server.statusCounts[200]);
      assert.equal(r.errors, server.resets);
      assert.deepEqual({ ...r.errorCounts }, { [message]: 9 });
    } finally {
      await server.close();
    }
  });
}

test('a request with no answer within -t counts as a timeout error', async () => {
  const server = await startCountingServer((nth) => (nth === 2 || nth === 5 ? 'hang' : { status: 200 }));
  try {
    const r = await runLoadTest(options(server.url, 8, 2, { timeoutSec: 1 }));
    assert.equal(r.sent, 8);
    assert.equal(r.responses, 6);
    assert.deepEqual({ ...r.errorCounts }, { 'request timed out after 1 s (-t)': 2 });
    assert.equal(server.received, 8);
  } finally {
    await server.close();
  }
});

test('-q slower than -t: a request with no answer still counts as a timeout, not as a lost response', async () => {
  // the timeout (1 s) comes before the next tick (2 s): the reconnect sends nothing
  const server = await startCountingServer((nth) => (nth === 1 ? 'hang' : { status: 200 }));
  try {
    const r = await runLoadTest(options(server.url, 2, 1, { timeoutSec: 1, ratePerWorker: 0.5 }));
    assert.equal(r.sent, 2);
    assert.equal(r.responses, 1);
    assert.deepEqual({ ...r.errorCounts }, { 'request timed out after 1 s (-t)': 1 });
  } finally {
    await server.close();
  }
});

test('-z: requests in flight at the deadline complete; the count is what the server answered', async () => {
  const server = await startCountingServer();
  try {
    const r = await runLoadTest(options(server.url, 1, 5, { durationMs: 150 }));
    assert.equal(r.requested, null);
    assert.ok(r.sent > 5);
    assert.equal(r.sent, server.received);
    assert.equal(r.errors, 0);
    assert.deepEqual({ ...r.statusCounts }, server.statusCounts);
  } finally {
    await server.close();
  }
});

/**
 * A -z run is bounded in count too (DURATION_MAX_REQUESTS; a smaller bound here, so the test sends
 * few): without -q it sends as fast as the server answers, and the bound ends it before -z does.
 * -z is long enough that a run which ignored the bound would send far more before its end.
 */
test('-z without -q: the run ends at the most requests a -z run sends, and says so', async () => {
  assert.equal(DURATION_MAX_REQUESTS, 100_000);
  const server = await startCountingServer(() => ({ status: 200 }));
  try {
    const r = await runLoadTest(options(server.url, 1, 4, { durationMs: 3000, durationMaxRequests: 50 }));
    assert.equal(server.received, 50);
    assert.equal(r.sent, 50);
    assert.equal(r.responses, 50);
    assert.equal(r.maxRequestsReached, 50);
    assert.equal(r.interrupted, false);
  } finally {
    await server.close();
  }
});

test('-z with -q whose count is above the bound: the bound ends the run', async () => {
  const server = await startCountingServer(() => ({ status: 200 }));
  try {
    // -q 1000 for 3 s: 3000 per worker; the bound, 30 in all, comes first
    const r = await runLoadTest(options(server.url, 1, 3, { durationMs: 3000, ratePerWorker: 1000, durationMaxRequests: 30 }));
    assert.equal(server.received, 30);
    assert.equal(r.sent, 30);
    assert.equal(r.maxRequestsReached, 30);
  } finally {
    await server.close();
  }
});

test('an abort stops sending; what was sent is still reported', async () => {
  const server = await startCountingServer(() => ({ status: 200, delayMs: 5 }));
  try {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const r = await runLoadTest(options(server.url, 100_000, 4, { signal: stop.signal }));
    assert.equal(r.interrupted, true);
    assert.ok(r.sent < 100_000);
    assert.equal(r.sent, server.received);
    assert.equal(r.responses, server.statusCounts[200]);
  } finally {
    await server.close();
  }
});

test('-q: rate-limited workers still send exactly -n requests', async () => {
  const server = await startCountingServer(() => ({ status: 200 }));
  try {
    const r = await runLoadTest(options(server.url, 7, 2, { ratePerWorker: 3 }));
    assert.equal(server.received, 7);
    assert.equal(r.responses, 7);
  } finally {
    await server.close();
  }
});

/**
 * hey's -q: each worker sends one request per tick of its own 1/q-second ticker, so a -z run sends
 * at most ceil(z·q) per worker (-c 2 -q 5 -z 2s: 20). Only bounds from above are asserted (a slow
 * machine sends fewer, never more), and from below only the first request each worker sends at once.
 */
// the four at once, a server each: each lasts its -z (7 s one after the other) and asserts only
// bounds that a busy machine keeps (fewer requests, never more)
describe('-z with -q, as hey', { concurrency: true }, () => {
  for (const [c, q, ms, most] of [[2, 5, 2000, 20], [2, 5, 1100, 12], [1, 2.5, 1000, 3], [2, 0.5, 3000, 4]] as const) {
    test(`-z with -q: -c ${c} -q ${q} -z ${ms}ms sends at most ${most} requests, as hey`, async () => {
      const server = await startCountingServer(() => ({ status: 200 }));
      try {
        const r = await runLoadTest(options(server.url, 1, c, { durationMs: ms, ratePerWorker: q }));
        assert.ok(server.received <= most, `${server.received} requests sent, more than ${most}`);
        assert.ok(server.received >= c, `${server.received} requests sent, fewer than one per worker`);
        assert.equal(r.sent, server.received);
        assert.equal(r.responses, server.received);
        // -q's count binds, not the -z bound
        assert.equal(r.maxRequestsReached, null);
      } finally {
        await server.close();
      }
    });
  }
});

// -q 0.02: a tick every 50 s; each worker's count is 1 for 40 s (sent at once: it has ended and the
// run waits for the deadline) and 2 for 60 s (it waits for its next tick)
for (const [durationMs, state] of [[40_000, 'sent its count'], [60_000, 'waits for its next tick']] as const) {
  for (const how of ['Ctrl-C', 'abandon'] as const) {
    test(`-z with -q: a run lasts until the deadline while each worker ${state}; ${how} ends it at once`, async () => {
      const server = await startCountingServer(() => ({ status: 200 }));
      try {
        const stop = new AbortController();
        const abandon = new AbortController();
        const run = runLoadTest(options(server.url, 1, 2, { durationMs, ratePerWorker: 0.02, signal: stop.signal, abandon: abandon.signal }));
        let resolved = false;
        void run.then(() => (resolved = true));
        while ((server.statusCounts[200] ?? 0) < 2) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(resolved, false);
        (how === 'Ctrl-C' ? stop : abandon).abort();
        const r = await run;
        assert.equal(r.sent, 2);
        assert.equal(r.responses, 2);
        assert.equal(r.errors, 0);
        assert.equal(r.interrupted, true);
      } finally {
        await server.close();
      }
    });
  }
}

test('every request refused: all of them are errors, none dropped', async () => {
  const r = await runLoadTest(options(await refusedUrl(), 25, 4));
  assert.equal(r.sent, 25);
  assert.equal(r.responses, 0);
  assert.equal(r.errors, 25);
  const [message] = Object.keys(r.errorCounts);
  assert.match(message, /ECONNREFUSED/);
});

test('the method, body and headers reach the server', async () => {
  const server = await startCountingServer(() => ({ status: 201 }), { keepBodies: true });
  try {
    const body = Buffer.from('{"hello":"world"}');
    const r = await runLoadTest(options(server.url, 4, 2, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Lab': 'yes' } }));
    assert.deepEqual({ ...r.statusCounts }, { 201: 4 });
    assert.deepEqual(server.bodies, Array(4).fill('{"hello":"world"}'));
    assert.equal(server.headers[0]['content-type'], 'application/json');
    assert.equal(server.headers[0]['x-lab'], 'yes');
  } finally {
    await server.close();
  }
});

test("Total covers the server's whole span, from before the first request to the last response, slow first answers included", async () => {
  // the first answers are slow, as a cold start's are
  const server = await startCountingServer((nth) => ({ status: 200, delayMs: nth <= 4 ? 150 : 1 }));
  try {
    const r = await runLoadTest(options(server.url, 40, 4));
    assert.equal(r.responses, 40);
    // one monotonic clock: the run started before the server saw a request, ended after it answered the last
    assert.ok(server.lastResponseAt - server.firstRequestAt <= r.durationMs, `server span ${server.lastResponseAt - server.firstRequestAt} ms > Total ${r.durationMs} ms`);
    const { count, offsetMs, latencyMs } = r.samples;
    for (let i = 0; i < count; i++) {
      assert.ok(offsetMs[i] >= 0, `request ${i} started before the run`);
      assert.ok(offsetMs[i] + latencyMs[i] <= r.durationMs, `request ${i} ended after the run`);
    }
  } finally {
    await server.close();
  }
});

test('nothing of the run is left once it resolves: no socket, no timer keeps the process alive', async () => {
  const server = await startCountingServer((nth) => ({ status: 200, delayMs: nth <= 3 ? 100 : 1 }));
  try {
    await runLoadTest(options(server.url, 30, 3, { timeoutSec: 20 }));
  } finally {
    await server.close();
  }
  const left = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout');
  assert.deepEqual(left, []);
});

test('an abort says at once how many requests are still in flight', async () => {
  const server = await startCountingServer(() => ({ status: 200, delayMs: 300 }));
  try {
    const stop = new AbortController();
    const inFlight: number[] = [];
    const run = runLoadTest(options(server.url, 1, 4, { durationMs: 20_000, signal: stop.signal }), { stopping: (n) => inFlight.push(n) });
    while (server.received < 4) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    assert.deepEqual(inFlight, [4]);
    const r = await run;
    assert.equal(r.interrupted, true);
    assert.equal(r.sent, 4);
    assert.equal(r.responses, 4);
  } finally {
    await server.close();
  }
});

/**
 * -q paces each connection with its own ticker, setInterval(…, 1000/q) (run.ts, pace). Those ticks
 * are held back here (they never fire), as on a machine too busy to fire them in time, so a run
 * that waited for one at its deadline would never end: the test proves the -z deadline ends
 * waiting connections itself, which is what makes `-z 5s -q 5` last 5 s and not longer, without
 * measuring any time.
 */
// the timeout only turns the old defect (a run waiting forever for a held tick) into a failure
test('-z with -q: connections waiting for their next tick end at the deadline, not at the tick', { timeout: 60_000 }, async (t) => {
  const realSetInterval = globalThis.setInterval;
  const heldTicks: NodeJS.Timeout[] = [];
  const release = (): void => {
    globalThis.setInterval = realSetInterval;
    for (const h of heldTicks) clearInterval(h);
  };
  t.after(release);
  // -q 4: a tick every 250 ms
  globalThis.setInterval = ((fn: (...args: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
    if (ms !== 250) return realSetInterval(fn, ms, ...(rest as []));
    const held = realSetInterval(() => {}, 2 ** 31 - 1);
    heldTicks.push(held);
    return held;
  }) as typeof setInterval;

  // waiting at the deadline: each worker sent its first request at once and waits for a tick (its
  // quota for 600 ms at 4/s is 3)
  const instant = await startCountingServer(() => ({ status: 200 }));
  try {
    const r = await runLoadTest(options(instant.url, 1, 3, { durationMs: 600, ratePerWorker: 4 }));
    // one ticker per worker
    assert.equal(heldTicks.length, 3);
    assert.equal(r.sent, 3);
    assert.equal(instant.received, 3);
    assert.equal(r.responses, 3);
    assert.equal(r.interrupted, false);
  } finally {
    await instant.close();
  }

  // in flight at the deadline: the answer comes after it, and the worker ends then, not at its tick
  const slow = await startCountingServer(() => ({ status: 200, delayMs: 800 }));
  try {
    const r = await runLoadTest(options(slow.url, 1, 2, { durationMs: 600, ratePerWorker: 4 }));
    assert.equal(r.sent, 2);
    assert.equal(r.responses, 2);
  } finally {
    release();
    await slow.close();
  }
});

test('abandon (the second Ctrl-C): every connection ends at once, the requests in flight count as errors', async () => {
  const server = await startCountingServer(() => 'hang');
  try {
    const stop = new AbortController();
    const abandon = new AbortController();
    const run = runLoadTest(options(server.url, 1, 3, { durationMs: 60_000, signal: stop.signal, abandon: abandon.signal }));
    while (server.received < 3) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    abandon.abort();
    const r = await run;
    assert.equal(r.interrupted, true);
    assert.equal(r.sent, 3);
    assert.equal(r.responses, 0);
    assert.deepEqual({ ...r.errorCounts }, { [ABANDONED]: 3 });
  } finally {
    await server.close();
  }
});

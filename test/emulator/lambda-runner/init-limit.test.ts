import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { INIT_LIMIT_MAX_MS, initLimitMs, WorkerPool } from '../../../src/emulator/services/lambda/runner/pool.js';
import { CodeDirs, fnConfig, json, ManualTimers, request } from './fixtures.js';

describe('lambda runner: the init limit under a burst of cold starts', () => {
  it("is Lambda's 10 s while the environments initializing fit the cores", () => {
    assert.equal(initLimitMs(1, 2), 10_000);
    assert.equal(initLimitMs(2, 2), 10_000);
    assert.equal(initLimitMs(1, 0), 10_000, 'a host reporting no cores still gets the full limit');
  });

  it('grows with the environments initializing at once per core, so a busy laptop fails none', () => {
    assert.equal(initLimitMs(3, 2), 15_000);
    assert.equal(initLimitMs(10, 2), 50_000);
  });

  it('grows no further than 60 s, however many environments a backlog starts', () => {
    assert.equal(INIT_LIMIT_MAX_MS, 60_000);
    assert.equal(initLimitMs(50, 2), 60_000);
    assert.equal(initLimitMs(138, 2), 60_000, 'the runaway load test had 138 initializing on 2 cores: 690 s before');
    assert.equal(initLimitMs(50, 8), 60_000);
  });
});

/** waits for what the workers do (no time limit: the test runner's own applies) */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await sleep(5);
}

describe('lambda runner: an init that outruns its limit goes on under the function timeout', () => {
  const dirs = new CodeDirs();
  // the init waits until the file $INIT_GATE exists; then it ends as $INIT_END says
  const code = dirs.write({
    'index.mjs': `import { existsSync } from 'node:fs';
await new Promise((resolve) => { const t = setInterval(() => { if (existsSync(process.env.INIT_GATE)) { clearInterval(t); resolve(); } }, 5); });
if (process.env.INIT_END === 'throw') throw new Error('init failed late');
export const handler = async () => 'answered';
`,
  });
  const pools: WorkerPool[] = [];
  after(async () => {
    await Promise.all(pools.map((p) => p.shutdown()));
    dirs.cleanup();
  });
  let gates = 0;
  function setup(end: 'return' | 'throw' = 'return') {
    const timers = new ManualTimers();
    const pool = new WorkerPool({ timers, cores: 2 });
    pools.push(pool);
    const gate = path.join(dirs.root, `gate-${++gates}`);
    const config = fnConfig(code, { timeoutSeconds: 3, environment: { INIT_GATE: gate, INIT_END: end } });
    return { timers, pool, config, open: () => writeFileSync(gate, '') };
  }

  it('an init done after the 10 s limit, within the Timeout, answers the invocation', async () => {
    const { timers, pool, config, open } = setup();
    const t0 = timers.time;
    const answer = pool.invoke(config, request(config, {}, { tail: true }));
    timers.fireAt(t0 + 10_000); // the init limit: the invoke phase begins, its 3 s timeout armed
    await new Promise(setImmediate); // the pool's cold start goes on in the microtasks this settled
    assert.equal(timers.armed?.ms, 3000, 'the invocation has its 3 s timeout');
    open();
    const result = await answer;
    assert.equal(result.functionError, undefined, `it failed: ${String(result.payload)}`);
    assert.equal(json(result.payload), 'answered');
    assert.ok(result.initDurationMs !== undefined, 'a cold start');
    assert.equal(pool.stats().idle, 1, 'the environment serves the next invocation');
    // Lambda's line for an init phase that timed out, with the time the init had at the limit
    assert.match(result.log!, /^INIT_REPORT Init Duration: 10000\.00 ms\tPhase: init\tStatus: timeout\n/m);
    assert.doesNotMatch(result.log!, /Task timed out/, 'the invocation answered: nothing timed out but the init phase');
    assert.doesNotMatch(result.log!, /Phase: invoke/, 'the init retried in the invoke phase succeeded: no INIT_REPORT for it');
  });

  it("an init still running at the limit plus the Timeout fails with the function's own timeout", async () => {
    const { timers, pool, config } = setup();
    const t0 = timers.time;
    const answer = pool.invoke(config, request(config, {}, { tail: true }));
    timers.fireAt(t0 + 10_000);
    await new Promise(setImmediate);
    assert.equal(timers.armed?.ms, 3000, 'the invocation has its 3 s timeout');
    timers.fireAt(t0 + 13_000);
    const result = await answer;
    assert.equal(result.functionError, 'Unhandled');
    const error = json(result.payload);
    assert.equal(error.errorType, 'Sandbox.Timedout');
    assert.match(error.errorMessage, /Task timed out after 3\.00 seconds$/);
    const lines = result.log!.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    assert.ok(at(/^INIT_REPORT Init Duration: 10000\.00 ms\tPhase: init\tStatus: timeout$/) >= 0, result.log);
    assert.ok(at(/^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: invoke\tStatus: timeout$/) > at(/^START /), result.log);
    assert.equal(lines.filter((l) => /Task timed out after/.test(l)).length, 1, 'one invocation timed out, after its 3 s');
    assert.match(result.log!, /Task timed out after 3\.00 seconds\n/);
    await until(() => pool.liveWorkers === 0);
  });

  it('a backlog of cold starts stretches no init past 60 s: each invocation then runs under its Timeout', async () => {
    const timers = new ManualTimers();
    const pool = new WorkerPool({ timers, cores: 1 });
    pools.push(pool);
    const gate = path.join(dirs.root, `gate-${++gates}`);
    const config = fnConfig(code, { timeoutSeconds: 3, environment: { INIT_GATE: gate, INIT_END: 'return' } });
    const t0 = timers.time;
    // 7 initializing on 1 core: 70 s each, extended as each started, before the bound
    const answers = Array.from({ length: 7 }, () => pool.invoke(config, request(config, {}, { tail: true })));
    assert.equal(pool.stats().environments, 7);
    timers.fireAt(t0 + 60_000);
    await new Promise(setImmediate);
    assert.equal(timers.armed?.ms, 3000, 'every invocation is in its invoke phase, under its 3 s timeout');
    writeFileSync(gate, '');
    for (const result of await Promise.all(answers)) {
      assert.equal(json(result.payload), 'answered');
      // the limit that applied was the scaled one, 60 s, not Lambda's 10 s
      assert.match(result.log!, /^INIT_REPORT Init Duration: 60000\.00 ms\tPhase: init\tStatus: timeout\n/m);
      assert.doesNotMatch(result.log!, /Task timed out/);
    }
  });

  it('an init that fails after the limit fails its invocation with its own error', async () => {
    const { timers, pool, config, open } = setup('throw');
    const t0 = timers.time;
    const answer = pool.invoke(config, request(config, {}, { tail: true }));
    timers.fireAt(t0 + 10_000);
    await new Promise(setImmediate);
    open();
    const result = await answer;
    assert.equal(result.functionError, 'Unhandled');
    assert.equal(json(result.payload).errorMessage, 'init failed late');
    assert.match(result.log!, /^INIT_REPORT Init Duration: 10000\.00 ms\tPhase: init\tStatus: timeout\n/m);
    assert.match(result.log!, /^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: invoke\tStatus: error\tError Type: Error\n/m);
    await until(() => pool.liveWorkers === 0);
  });
});

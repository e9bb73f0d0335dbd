import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { WorkerPool } from '../../../src/emulator/services/lambda/runner/index.js';
import { CodeDirs, fnConfig, ManualTimers, request } from './fixtures.js';

/** waits for the workers the pool ended to exit (no time limit: the test runner's own applies) */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await sleep(5);
}

describe('lambda runner: idle expiry', () => {
  const dirs = new CodeDirs();
  const code = dirs.write({ 'index.js': 'exports.handler = async () => "ok";' });
  const pools: WorkerPool[] = [];
  after(async () => {
    await Promise.all(pools.map((p) => p.shutdown()));
    dirs.cleanup();
  });

  it('ends each environment idleTimeoutMs after its own last invocation, not sooner', async () => {
    const timers = new ManualTimers();
    const pool = new WorkerPool({ idleTimeoutMs: 1000, timers });
    pools.push(pool);
    const a = fnConfig(code);
    const b = fnConfig(code);
    const t0 = timers.time;
    await pool.invoke(a, request(a));
    timers.time = t0 + 600;
    await pool.invoke(b, request(b));
    assert.equal(pool.liveWorkers, 2);

    timers.fireAt(t0 + 1000); // a has been idle 1000 ms, b 400
    await until(() => pool.liveWorkers === 1);
    timers.time = t0 + 1200;
    const warm = await pool.invoke(b, request(b));
    assert.equal(warm.initDurationMs, undefined, 'b was still warm');

    // b's first expiry (t0 + 1600) is past its new start of idleness (t0 + 1200): it stays
    timers.fireAt(t0 + 1600);
    timers.time = t0 + 2100;
    assert.equal((await pool.invoke(b, request(b))).initDurationMs, undefined, 'b, idle 900 ms, is still warm');

    timers.fireAt(t0 + 3099);
    assert.equal((await pool.invoke(b, request(b))).initDurationMs, undefined, 'b, idle 999 ms, is still warm');
    timers.fireAt(timers.time + 1000);
    await until(() => pool.liveWorkers === 0);
  });

  it('an environment reaped while idle is not handed out again', async () => {
    const timers = new ManualTimers();
    const pool = new WorkerPool({ idleTimeoutMs: 1000, timers });
    pools.push(pool);
    const a = fnConfig(code);
    await pool.invoke(a, request(a));
    timers.fireAt(timers.time + 1000);
    const again = await pool.invoke(a, request(a));
    assert.ok(again.initDurationMs !== undefined, 'a cold start');
    await until(() => pool.liveWorkers === 1);
  });
});

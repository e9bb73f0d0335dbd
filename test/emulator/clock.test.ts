/** The cloud's clock: scaled, persisted, never back across restarts (kill -9 included). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PersistedClock, ScaledClock } from '../../src/emulator/core/clock.js';
import { StateStore } from '../../src/emulator/core/store.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function store(): StateStore {
  const dir = mkdtempSync(join(tmpdir(), 'sol-clock-'));
  dirs.push(dir);
  return new StateStore(dir);
}
const quiet = () => undefined;
/** the clock's timers do not hold the process open (the emulator's server does): hold it while waiting */
async function held<T>(wait: Promise<T>): Promise<T> {
  const keep = setInterval(() => undefined, 1000);
  try {
    return await wait;
  } finally {
    clearInterval(keep);
  }
}

describe('the cloud clock', () => {
  test('a fresh state dir starts at the real time', () => {
    const before = Date.now();
    const clock = PersistedClock.open(store(), 1, quiet);
    assert.ok(clock.now() >= before);
    assert.ok(clock.now() <= Date.now() + 1);
  });

  test('a restart never goes back, even without a clean shutdown: the persisted lease is ahead of what was seen', () => {
    const s = store();
    const first = PersistedClock.open(s, 1000, quiet);
    const seen = [first.now(), first.now(), first.now()];
    // no close: as after kill -9
    const second = PersistedClock.open(new StateStore(s.dir), 1000, quiet);
    assert.ok(second.now() >= Math.max(...seen), `${second.now()} < ${Math.max(...seen)}`);
  });

  test('cloud time persisted far ahead (a fast run) is resumed, not replaced by the real time', () => {
    const s = store();
    s.write('clock', { format: 1, cloudTimeAtLeast: Date.now() + 86_400_000 });
    const clock = PersistedClock.open(s, 1, quiet);
    assert.ok(clock.now() >= Date.now() + 86_400_000 - 1000);
  });

  test('setTimeout waits cloud time: at speed 1000 a cloud minute passes, and the callback sees it passed', async () => {
    const clock = new ScaledClock(1000);
    const start = clock.now();
    const firedAt = await held(new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 60_000)));
    assert.ok(firedAt - start >= 60_000);
  });

  test('a cancelled timer never runs', async () => {
    const clock = new ScaledClock(1000);
    let ran = false;
    clock.setTimeout(() => (ran = true), 1000).cancel();
    await held(new Promise<void>((resolve) => clock.setTimeout(resolve, 5000)));
    assert.equal(ran, false);
  });

  test('speed must be a positive number', () => {
    assert.throws(() => new ScaledClock(0), /speed must be a positive number/);
    assert.throws(() => new ScaledClock(Number.NaN), /speed must be a positive number/);
  });
});

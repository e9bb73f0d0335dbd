/** The cloud's clock: scaled, persisted, never back across restarts (kill -9 included). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PersistedClock, ScaledClock } from '../../src/emulator/core/clock.js';
import { ClockDoor, PACE_LEASE_MS } from '../../src/emulator/clock-door.js';
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

/** a ScaledClock on a real clock the test moves (no timers, no load) */
function fakeReal(speed: number) {
  const real = { ms: 1_000 };
  const clock = new ScaledClock(speed, 0, () => real.ms);
  return { clock, pass: (ms: number) => void (real.ms += ms) };
}

describe('a paced clock (POST /_lab/clock): cloud time waits for the traffic it is paced by', () => {
  test('unpaced, a starved client finds the cloud minutes ahead: 6 real seconds at speed 100 are 10 cloud minutes', () => {
    const { clock, pass } = fakeReal(100);
    pass(6000);
    assert.equal(clock.now(), 600_000);
  });

  test('paced 10 cloud seconds ahead: however long the client is silent, cloud time stops there; each word moves it on, with no jump', () => {
    const { clock, pass } = fakeReal(100);
    clock.pace(10_000, PACE_LEASE_MS);
    pass(6000);
    assert.equal(clock.now(), 10_000);
    pass(6000);
    assert.equal(clock.now(), 10_000);
    // the client's next answer: 10 s more from here, not the real time that passed meanwhile
    clock.pace(10_000, PACE_LEASE_MS);
    pass(50);
    assert.equal(clock.now(), 15_000);
    pass(10_000);
    assert.equal(clock.now(), 20_000);
    // released: it runs at its speed again, from where it stood
    clock.pace(undefined, PACE_LEASE_MS);
    pass(100);
    assert.equal(clock.now(), 30_000);
  });

  test('a pace whose client went silent lapses after its lease of real time, and the clock goes on from the pace', () => {
    const { clock, pass } = fakeReal(100);
    clock.pace(10_000, 30_000);
    pass(29_000);
    assert.equal(clock.now(), 10_000);
    pass(2_000);
    assert.equal(clock.now(), 10_000 + 1_000 * 100);
  });

  test('at speed 1 or slower the clock is real time and ignores a pace', () => {
    const { clock, pass } = fakeReal(1);
    clock.pace(10, PACE_LEASE_MS);
    pass(1000);
    assert.equal(clock.now(), 1000);
  });

  test('the door: POST {"paceAheadMs": N} paces, null releases, anything else is a 400 that changes nothing', async () => {
    const { clock, pass } = fakeReal(100);
    const door = new ClockDoor(clock);
    const post = (body: string) => door.handle({ method: 'POST', path: '/_lab/clock', query: new URLSearchParams(), headers: {}, body: Buffer.from(body) });
    assert.ok(door.matches({ method: 'POST', path: '/_lab/clock', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) }));
    for (const bad of ['{"paceAheadMs": -1}', '{"paceAheadMs": "10"}', '{}', 'nope', '{"paceAheadMs": 1e12}']) {
      const r = await post(bad);
      assert.equal(r.status, 400, bad);
      assert.match(String(r.body), /paceAheadMs must be null or a number of cloud ms/);
    }
    pass(10);
    assert.equal(clock.now(), 1000, 'a refused pace paces nothing');
    const r = await post('{"paceAheadMs": 5000}');
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(String(r.body)).epochMillis, 1000);
    pass(1000);
    assert.equal(clock.now(), 6000);
    await post('{"paceAheadMs": null}');
    pass(10);
    assert.equal(clock.now(), 7000);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadlines } from '../../src/emulator/core/deadlines.js';
import { ManualTimers } from './lambda-runner/fixtures.js';

describe('deadlines (the Lambda runner and the API Gateway front door)', () => {
  it('a timer that wakes before the deadline does not fire it, and re-arms for the rest', () => {
    const timers = new ManualTimers();
    const deadlines = new Deadlines(false, timers);
    const fired: number[] = [];
    deadlines.add(1000, () => fired.push(timers.now()));
    assert.equal(timers.armed!.ms, 1000);
    // Node's timers count from the loop's cached whole-millisecond clock: they can wake early
    timers.fireAt(2000.0);
    assert.deepEqual(fired, [], 'not due yet: 999.75 ms have passed of 1000');
    assert.equal(timers.armed!.ms, 1, 'the rest, rounded up to a whole millisecond');
    timers.fireAt(2000.25);
    assert.deepEqual(fired, [2000.25]);
    assert.equal(deadlines.size, 0);
    assert.equal(timers.armed, undefined, 'nothing left to wait for');
  });

  it('fires what is due in one wake-up and re-arms for the earliest one left', () => {
    const timers = new ManualTimers();
    const deadlines = new Deadlines(false, timers);
    const fired: string[] = [];
    deadlines.add(300, () => fired.push('c'));
    deadlines.add(100, () => fired.push('a'));
    const b = deadlines.add(100, () => fired.push('b'));
    deadlines.cancel(b);
    assert.equal(timers.armed!.ms, 100);
    timers.fireAt(timers.time + 150);
    assert.deepEqual(fired, ['a']);
    assert.equal(timers.armed!.ms, 150);
    timers.fireAt(timers.time + 150);
    assert.deepEqual(fired, ['a', 'c']);
  });

  it('cancelling any entry, twice, or after it fired, leaves the others due as they were', () => {
    const timers = new ManualTimers();
    const deadlines = new Deadlines(false, timers);
    const fired: string[] = [];
    const t0 = timers.time;
    const made = ['a', 'b', 'c', 'd', 'e'].map((name, i) => deadlines.add(100 * (5 - i), () => fired.push(name)));
    deadlines.cancel(made[1]); // b, in the middle
    deadlines.cancel(made[1]);
    deadlines.cancel(made[0]); // a, first
    assert.equal(deadlines.size, 3);
    timers.fireAt(t0 + 250);
    assert.deepEqual(fired, ['e', 'd'], 'earliest first');
    deadlines.cancel(made[4]); // e, already fired
    assert.equal(deadlines.size, 1);
    timers.fireAt(t0 + 300);
    assert.deepEqual(fired, ['e', 'd', 'c']);
    assert.equal(deadlines.size, 0);
    assert.equal(timers.armed, undefined);
  });

  it('clear forgets every deadline and the timer', () => {
    const timers = new ManualTimers();
    const deadlines = new Deadlines(false, timers);
    deadlines.add(10, () => assert.fail('cleared'));
    deadlines.clear();
    assert.equal(deadlines.size, 0);
    assert.equal(timers.armed, undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadlines, type TimerHost } from '../../../src/emulator/services/lambda/runner/deadlines.js';

/** A manual clock and timer: the test decides when the timer fires and what time it is then. */
class ManualTimers implements TimerHost {
  time = 1000.25;
  armed: { ms: number; fire: () => void } | undefined;
  now(): number {
    return this.time;
  }
  arm(ms: number, fire: () => void): () => void {
    const entry = { ms, fire };
    this.armed = entry;
    return () => {
      if (this.armed === entry) this.armed = undefined;
    };
  }
  /** fire the armed timer at clock time `at` */
  fireAt(at: number): void {
    this.time = at;
    const armed = this.armed!;
    this.armed = undefined;
    armed.fire();
  }
}

describe('lambda runner: deadlines', () => {
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

  it('clear forgets every deadline and the timer', () => {
    const timers = new ManualTimers();
    const deadlines = new Deadlines(false, timers);
    deadlines.add(10, () => assert.fail('cleared'));
    deadlines.clear();
    assert.equal(deadlines.size, 0);
    assert.equal(timers.armed, undefined);
  });
});

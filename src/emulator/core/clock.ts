/**
 * The cloud's clock: one for every cloud timer (alarm periods, metric timestamps, CodeDeploy shifts
 * and hook limits, Lambda's event retries) and for every timestamp a client sees.
 *
 * The rule (README, "The cloud's clock"): cloud time starts at the real time when a state dir is
 * first used, runs `--speed` times faster than real time while the emulator runs, and never goes
 * back: a restart resumes from the later of the persisted cloud time and the real time. At speed 1
 * on a fresh state dir it is the wall clock. Function code runs in real time.
 *
 * Faster than real time, the clock may run ahead of work that runs in real time: at speed 100 a
 * cloud minute is 0.6 real seconds, and on a busy host the lab's sample requests during a
 * CodeDeploy shift (real time) fall so far behind that a Linear10PercentEvery1Minute shift ends
 * before a version that throws met any traffic, and its Errors alarm never goes off. On AWS the
 * same view sends some hundred requests in each minute of the shift. So a client may pace the
 * clock (`pace`, POST /_lab/clock): cloud time then does not pass a point a little ahead of the
 * client's last word, until it speaks again, releases the pace, or stays silent for a lease of
 * real time. Every cloud timer waits alike (CodeDeploy's shifts, CloudWatch's evaluations), so a
 * starved host slows the cloud instead of skipping what its traffic would have shown. What AWS
 * does is unchanged, only how fast it goes: a linear config still shifts "in equal increments,
 * with an equal number of minutes between each increment"
 * (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TimeBasedLinear.html), an alarm
 * with a Period of a minute or more is still "evaluated every minute"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html), and
 * both count cloud minutes, in which the traffic now falls as it would on AWS.
 */
import { atomicWrite } from '../../files.js';
import type { StateStore } from './store.js';

export interface Clock {
  /** cloud time, epoch milliseconds */
  now(): number;
  /** run `fn` after `ms` of cloud time */
  setTimeout(fn: () => void, ms: number): { cancel(): void };
  readonly speed: number;
  /**
   * Cloud time may not pass `aheadMs` of cloud time from now until this is called again, with
   * `undefined` (released), or `leaseRealMs` of real time passes without a call. Only clocks
   * that run faster than real time pace; others ignore it.
   */
  pace?(aheadMs: number | undefined, leaseRealMs: number): void;
}

/** Node's setTimeout takes at most 2^31 - 1 ms; longer waits are chained. */
const MAX_REAL_DELAY = 2 ** 31 - 1;

export function checkSpeed(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  return speed;
}

/**
 * Cloud time = `origin` + real time elapsed × speed. Elapsed real time is read from the monotonic
 * clock (performance.now), so a wall-clock step (NTP, a suspended laptop) does not move cloud time
 * back. Not persisted: for tests and benches; the emulator uses `PersistedClock`.
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  private originCloud: number;
  private originReal: number;
  /** the pace: cloud time stops at `at` until the real time `leaseEnd` (see `pace`) */
  private paced: { at: number; leaseEnd: number } | undefined;

  /** `realNow`: the monotonic real clock in ms (tests give a fake one) */
  constructor(
    speed = 1,
    origin = Date.now(),
    private readonly realNow: () => number = () => performance.now(),
  ) {
    this.speed = checkSpeed(speed);
    this.originCloud = origin;
    this.originReal = realNow();
  }

  now(): number {
    const real = this.realNow();
    const p = this.paced;
    if (p) {
      // the real time at which cloud time reached the pace; from there it stood still
      const reached = this.originReal + (p.at - this.originCloud) / this.speed;
      if (real >= reached) {
        // rebased on the pace: time goes on from it (no jump) once the pace moves or lapses
        this.originCloud = p.at;
        this.originReal = Math.min(real, Math.max(reached, p.leaseEnd));
        if (real >= p.leaseEnd) this.paced = undefined;
      } else if (real >= p.leaseEnd) this.paced = undefined;
    }
    return Math.floor(this.originCloud + (real - this.originReal) * this.speed);
  }

  pace(aheadMs: number | undefined, leaseRealMs: number): void {
    if (this.speed <= 1) return;
    const now = this.now();
    this.paced = aheadMs === undefined ? undefined : { at: now + Math.max(0, aheadMs), leaseEnd: this.realNow() + Math.max(0, leaseRealMs) };
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const due = this.now() + Math.max(0, ms);
    let handle: NodeJS.Timeout | undefined;
    let live = true;
    const arm = () => {
      const left = due - this.now();
      if (left <= 0) {
        live = false;
        fn();
        return;
      }
      // a real timer may fire a hair early against our reading of the clock: re-arm until due
      handle = setTimeout(arm, Math.min(MAX_REAL_DELAY, Math.max(1, Math.ceil(left / this.speed))));
      handle.unref?.();
    };
    handle = setTimeout(arm, Math.min(MAX_REAL_DELAY, Math.max(0, Math.ceil((due - this.now()) / this.speed))));
    handle.unref?.();
    return {
      cancel: () => {
        if (live && handle) clearTimeout(handle);
        live = false;
      },
    };
  }
}

const CLOCK_KEY = 'clock';

interface ClockRecord {
  format: 1;
  /**
   * A cloud time the clock has not passed yet (a lease): written ahead of time, so that a kill -9
   * between two writes still restarts at or after every time a client may have seen.
   */
  cloudTimeAtLeast: number;
}

/** How far ahead the persisted lease runs, in real milliseconds (rewritten when half used). */
const LEASE_REAL_MS = 2_000;

/**
 * The emulator's clock: a ScaledClock whose cloud time is persisted in the state dir (`clock.json`)
 * so that it never goes back across restarts, even after a kill -9. The record holds a lease ahead
 * of the present, renewed inside `now()` when half of it is used (a comparison per call; one small
 * atomic write per real second at most). A lease that cannot be written is reported once through
 * `log`; time still runs (stopping the cloud's clock would stall every service).
 */
export class PersistedClock extends ScaledClock {
  private lease: number;
  private reported = false;

  private constructor(
    speed: number,
    origin: number,
    private readonly store: StateStore,
    private readonly log: (line: string) => void,
  ) {
    super(speed, origin);
    this.lease = origin;
    this.renew(origin);
  }

  /** Opens the state dir's clock: resumes at the later of its persisted time and the real time. */
  static open(store: StateStore, speed: number, log: (line: string) => void): PersistedClock {
    const saved = store.read<ClockRecord>(CLOCK_KEY);
    const persisted = saved?.format === 1 && Number.isFinite(saved.cloudTimeAtLeast) ? saved.cloudTimeAtLeast : 0;
    return new PersistedClock(speed, Math.max(persisted, Date.now()), store, log);
  }

  override now(): number {
    const t = super.now();
    if (t >= this.lease - (LEASE_REAL_MS / 2) * this.speed) this.renew(t);
    return t;
  }

  private renew(t: number): void {
    const next = t + LEASE_REAL_MS * this.speed;
    // on failure too: try again in a real second, not on every call
    this.lease = next;
    try {
      // written beside the services' documents, not as one of them: the lease is the clock's own
      // bookkeeping (one small atomic file), not a change a client made (the kill -9 test counts those)
      atomicWrite(this.store.pathOf(`${CLOCK_KEY}.json`), JSON.stringify({ format: 1, cloudTimeAtLeast: next } satisfies ClockRecord));
      this.reported = false;
    } catch (err) {
      if (!this.reported) this.log(`emulator: cannot persist the cloud's clock in ${this.store.dir}: ${(err as Error).message}`);
      this.reported = true;
    }
  }
}

/** A clock that moves only when told to: for tests of timed behaviour with no timers at all. */
export class ManualClock implements Clock {
  readonly speed = 1;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.current + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.current = due.at;
      due.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.current = end;
  }
}

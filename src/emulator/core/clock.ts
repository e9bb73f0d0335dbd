/**
 * One scaled clock for every cloud timer (shift intervals, alarm periods, hook timeouts).
 * Function code runs in real time; only the cloud's own schedules are sped up by `speed`.
 */
export interface Clock {
  /** cloud time, epoch milliseconds */
  now(): number;
  /** run `fn` after `ms` of cloud time */
  setTimeout(fn: () => void, ms: number): { cancel(): void };
  readonly speed: number;
}

export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  constructor(readonly speed = 1) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  }
  now(): number {
    const elapsed = Date.now() - this.realStart;
    return this.realStart + elapsed * this.speed;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const handle = setTimeout(fn, Math.max(0, ms / this.speed));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
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

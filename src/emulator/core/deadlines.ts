/**
 * Many deadlines, one timer. Every invocation has a timeout and every idle environment an expiry;
 * a Node timer for each would be created and cancelled once per invocation (two Timeout objects,
 * list insertions and removals, ref bookkeeping) although almost none of them ever fires.
 * Here a deadline is an entry in an array that knows its own slot (cancelling moves the last entry
 * into it: no hashing, no rehash as the count swings), and one timer is armed for the earliest one.
 * Cancelling only removes the entry: when the timer fires it runs what is due, earliest first, and
 * re-arms for the earliest entry left. The entries are the invocations in flight, the environments
 * initializing and the pool's one idle reaper, so the scan on a (rare) firing is short.
 *
 * A deadline never fires before its time. Node's timers count from the event loop's cached clock
 * (whole milliseconds, taken when the loop last woke), so a timer can fire up to a millisecond or
 * more before `performance.now()` reaches the time asked for; what is not yet due is re-armed.
 * Lambda never reports a timed-out invocation shorter than its timeout.
 */
export interface Deadline {
  /** clock time (performance.now() by default) at which it is due */
  readonly at: number;
  readonly fire: () => void;
  /** its index in the entries; -1 once fired or cancelled */
  slot: number;
}

/** The clock and the one timer; tests pass a manual one. */
export interface TimerHost {
  now(): number;
  /** call `fire` after `ms` (a whole number, at least 1); answers a cancel function */
  arm(ms: number, fire: () => void, keepAlive: boolean): () => void;
}

const nodeTimers: TimerHost = {
  now: () => performance.now(),
  arm(ms, fire, keepAlive) {
    const timer = setTimeout(fire, ms);
    if (!keepAlive) timer.unref();
    return () => clearTimeout(timer);
  },
};

export class Deadlines {
  private readonly entries: Deadline[] = [];
  private disarm: (() => void) | undefined;
  private armedAt = Infinity;

  /** @param keepAlive whether a pending deadline keeps the process alive */
  constructor(
    private readonly keepAlive = false,
    private readonly timers: TimerHost = nodeTimers,
  ) {}

  /** `fire` runs once, `ms` from now or later (never sooner), unless cancelled first */
  add(ms: number, fire: () => void): Deadline {
    const d: Deadline = { at: this.timers.now() + ms, fire, slot: this.entries.length };
    this.entries.push(d);
    if (d.at < this.armedAt) this.arm(d.at);
    return d;
  }

  /** a deadline already fired or cancelled is left as it is */
  cancel(d: Deadline | undefined): void {
    if (d === undefined || d.slot < 0) return;
    const last = this.entries.pop()!;
    if (last !== d) {
      this.entries[d.slot] = last;
      last.slot = d.slot;
    }
    d.slot = -1;
  }

  /** the clock deadlines are counted on */
  now(): number {
    return this.timers.now();
  }

  get size(): number {
    return this.entries.length;
  }

  /** forget every deadline and the timer (shutdown) */
  clear(): void {
    for (const d of this.entries) d.slot = -1;
    this.entries.length = 0;
    this.disarm?.();
    this.disarm = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number): void {
    this.disarm?.();
    this.armedAt = at;
    this.disarm = this.timers.arm(Math.max(1, Math.ceil(at - this.timers.now())), () => this.run(), this.keepAlive);
  }

  private run(): void {
    this.disarm = undefined;
    this.armedAt = Infinity;
    const now = this.timers.now();
    const due: Deadline[] = [];
    let next = Infinity;
    for (const d of this.entries) {
      if (d.at <= now) due.push(d);
      else if (d.at < next) next = d.at;
    }
    for (const d of due) this.cancel(d);
    if (next < Infinity) this.arm(next);
    due.sort((a, b) => a.at - b.at);
    for (const d of due) d.fire();
  }
}

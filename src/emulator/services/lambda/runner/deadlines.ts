/**
 * Many deadlines, one timer. Every invocation has a timeout and every idle environment an expiry;
 * a Node timer for each would be created and cancelled once per invocation (two Timeout objects,
 * list insertions and removals, ref bookkeeping) although almost none of them ever fires.
 * Here a deadline is an entry in a set, and one timer is armed for the earliest one. Cancelling
 * only removes the entry: when the timer fires it runs what is due and re-arms for the earliest
 * entry left. The entries are the invocations in flight and the idle environments, so the scan on
 * a (rare) firing is short.
 */
export interface Deadline {
  /** performance.now() at which it is due */
  readonly at: number;
  readonly fire: () => void;
}

export class Deadlines {
  private readonly entries = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  /** @param keepAlive whether a pending deadline keeps the process alive */
  constructor(private readonly keepAlive = false) {}

  /** `fire` runs once, `ms` from now, unless cancelled first */
  add(ms: number, fire: () => void): Deadline {
    const d: Deadline = { at: performance.now() + ms, fire };
    this.entries.add(d);
    if (d.at < this.armedAt) this.arm(d.at);
    return d;
  }

  cancel(d: Deadline | undefined): void {
    if (d) this.entries.delete(d);
  }

  get size(): number {
    return this.entries.size;
  }

  /** forget every deadline and the timer (shutdown) */
  clear(): void {
    this.entries.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.run(), Math.max(0, at - performance.now()));
    if (!this.keepAlive) this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = performance.now();
    const due: Deadline[] = [];
    let next = Infinity;
    for (const d of this.entries) {
      // a timer may fire a fraction of a millisecond early (it rounds to whole ms)
      if (d.at <= now + 1) due.push(d);
      else if (d.at < next) next = d.at;
    }
    for (const d of due) this.entries.delete(d);
    if (next < Infinity) this.arm(next);
    for (const d of due) d.fire();
  }
}

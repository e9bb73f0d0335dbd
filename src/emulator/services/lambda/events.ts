import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../core/service-error.js';
import { runAdmitted, type InvokeTarget } from './invoke.js';
import type { LambdaCore } from './state.js';

/**
 * Asynchronous (Event) invocations. Lambda puts the event on its internal queue and answers 202;
 * the function runs later under the same concurrency limits. When it is throttled, Lambda retries
 * with backoff for up to 6 hours (MaximumEventAgeInSeconds) before discarding the event.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 *
 * Simplifications (documented): retries after throttling back off 1 s, 2 s, 4 s ... capped at 60 s
 * of cloud time; function errors are not retried (AWS retries twice by default); discarded events
 * are only counted, there are no destinations or DLQs.
 */
const MAX_EVENT_AGE_MS = 6 * 3600 * 1000;
const MAX_BACKOFF_MS = 60_000;

export class EventQueue {
  private readonly timers = new Set<{ cancel(): void }>();
  private pendingCount = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  /** events dropped after MaximumEventAgeInSeconds of throttling */
  discarded = 0;
  /** events that ran (successfully or not) */
  completed = 0;

  constructor(private readonly core: LambdaCore) {}

  enqueue(target: InvokeTarget, payload: Buffer, clientContext?: unknown): void {
    this.pendingCount++;
    const enqueuedAt = this.core.clock.now();
    const requestId = randomUUID();
    // first attempt after the 202 has been answered
    setImmediate(() => this.attempt(target, payload, clientContext, requestId, enqueuedAt, 0));
  }

  private attempt(target: InvokeTarget, payload: Buffer, clientContext: unknown, requestId: string, enqueuedAt: number, tries: number): void {
    if (this.closed) return this.done();
    let run: Promise<unknown>;
    try {
      run = runAdmitted(this.core, target, { requestId, payload, tail: false, clientContext }, 1);
    } catch (err) {
      if (err instanceof ServiceError && err.status === 429 && this.core.clock.now() - enqueuedAt < MAX_EVENT_AGE_MS) {
        const delay = Math.min(1000 * 2 ** tries, MAX_BACKOFF_MS);
        const timer = this.core.clock.setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(target, payload, clientContext, requestId, enqueuedAt, tries + 1);
        }, delay);
        this.timers.add(timer);
        return;
      }
      this.discarded++;
      return this.done();
    }
    run.then(
      () => {
        this.completed++;
        this.done();
      },
      () => {
        this.completed++;
        this.done();
      },
    );
  }

  private done(): void {
    this.pendingCount--;
    if (this.pendingCount === 0) for (const w of this.waiters.splice(0)) w();
  }

  get pending(): number {
    return this.pendingCount;
  }

  /** resolves when no event is queued or running (tests, shutdown) */
  idle(): Promise<void> {
    return this.pendingCount === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** drop queued retries; running invocations finish on their own */
  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    const dropped = this.timers.size;
    this.timers.clear();
    for (let i = 0; i < dropped; i++) this.done();
  }
}

import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../core/service-error.js';
import { runAdmitted, type InvokeTarget } from './invoke.js';
import type { EventPayload } from './runner/types.js';
import type { LambdaCore } from './state.js';

/**
 * Asynchronous (Event) invocations. Lambda puts the event on its internal queue and answers 202;
 * the function runs later under the same concurrency limits. When it is throttled, Lambda retries
 * with backoff for up to 6 hours (MaximumEventAgeInSeconds) before discarding the event.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 *
 * A function error (a throw, a timeout, a crash) is retried twice: "If the function returns an
 * error, by default Lambda attempts to run it two more times, with a one-minute wait between the
 * first two attempts, and two minutes between the second and third attempts" (same page), on the
 * cloud clock. CodeDeploy's hooks are Event invokes, so a hook that throws runs three times.
 *
 * Simplifications (documented): retries after throttling back off 1 s, 2 s, 4 s ... capped at 60 s
 * of cloud time; MaximumRetryAttempts / MaximumEventAgeInSeconds are not configurable; discarded
 * events are only counted, there are no destinations or DLQs.
 */
const MAX_EVENT_AGE_MS = 6 * 3600 * 1000;
const MAX_BACKOFF_MS = 60_000;
/** waits before the second and the third attempt after a function error */
export const ERROR_RETRY_DELAYS_MS = [60_000, 120_000] as const;

export class EventQueue {
  private readonly timers = new Set<{ cancel(): void }>();
  private pendingCount = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  /** events dropped after MaximumEventAgeInSeconds of throttling */
  discarded = 0;
  /** events that ran to their end (successfully, or failed on every attempt) */
  completed = 0;
  /** runs of event functions, retries included */
  attempts = 0;

  constructor(private readonly core: LambdaCore) {}

  enqueue(target: InvokeTarget, payload: EventPayload, clientContext?: unknown): void {
    this.pendingCount++;
    const enqueuedAt = this.core.clock.now();
    const requestId = randomUUID();
    // first attempt after the 202 has been answered
    setImmediate(() => this.attempt(target, payload, clientContext, requestId, enqueuedAt, 0, 0));
  }

  private later(ms: number, fn: () => void): void {
    const timer = this.core.clock.setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private attempt(
    target: InvokeTarget,
    payload: EventPayload,
    clientContext: unknown,
    requestId: string,
    enqueuedAt: number,
    tries: number,
    errorRetries: number,
  ): void {
    if (this.closed) return this.done();
    let run: Promise<{ functionError?: string }>;
    try {
      run = runAdmitted(this.core, target, { requestId, payload, tail: false, clientContext }, 1);
    } catch (err) {
      if (err instanceof ServiceError && err.status === 429 && this.core.clock.now() - enqueuedAt < MAX_EVENT_AGE_MS) {
        const delay = Math.min(1000 * 2 ** tries, MAX_BACKOFF_MS);
        this.later(delay, () => this.attempt(target, payload, clientContext, requestId, enqueuedAt, tries + 1, errorRetries));
        return;
      }
      this.discarded++;
      return this.done();
    }
    const settle = (failed: boolean) => {
      this.attempts++;
      if (failed && errorRetries < ERROR_RETRY_DELAYS_MS.length && !this.closed) {
        this.later(ERROR_RETRY_DELAYS_MS[errorRetries]!, () =>
          this.attempt(target, payload, clientContext, requestId, enqueuedAt, tries, errorRetries + 1),
        );
        return;
      }
      this.completed++;
      this.done();
    };
    run.then(
      (result) => settle(result.functionError !== undefined),
      () => settle(true),
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

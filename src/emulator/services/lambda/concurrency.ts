import { invalidParameter, type ThrottleReason } from './errors.js';

/**
 * Concurrency admission, as Lambda documents it:
 * - the account has a concurrency limit (1,000 by default) per Region;
 * - a function with reserved concurrency N runs at most N at once, across all its versions and
 *   aliases; N = 0 throttles every invocation. Its executions do not use the unreserved pool;
 * - every other function shares the unreserved pool (limit - sum of reservations), which may never
 *   be reserved below 100.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 *
 * `admit` is synchronous: it checks and counts in one step, so two calls can never both take the
 * last slot. The caller releases the permit when the runner returns.
 */
export const MIN_UNRESERVED = 100;

export interface Permit {
  release(): void;
}

export type Admission = { ok: true; permit: Permit; inFlight: number } | { ok: false; reason: ThrottleReason };

/** one function's executions: found once per admission, and its permit keeps it for the release */
interface Executions {
  inFlight: number;
  peak: number;
}

export class ConcurrencyController {
  private readonly functions = new Map<string, Executions>();
  private unreservedInFlight = 0;
  private total = 0;
  private totalPeak = 0;

  constructor(
    readonly accountLimit = 1000,
    /** current reservations, function name → N */
    private readonly reservations: () => ReadonlyMap<string, number>,
    readonly minUnreserved = MIN_UNRESERVED,
  ) {
    if (!Number.isInteger(accountLimit) || accountLimit < minUnreserved) {
      throw new RangeError(`the account concurrency limit must be an integer of at least ${minUnreserved}, got ${accountLimit}`);
    }
  }

  reservedTotal(except?: string): number {
    let sum = 0;
    for (const [name, n] of this.reservations()) if (name !== except) sum += n;
    return sum;
  }

  unreservedLimit(): number {
    return this.accountLimit - this.reservedTotal();
  }

  /**
   * PutFunctionConcurrency's rule: "You can reserve concurrency as long as you leave at least 100
   * simultaneous executions unreserved" (API_PutFunctionConcurrency).
   */
  checkReservation(functionName: string, reserved: number): void {
    if (this.accountLimit - this.reservedTotal(functionName) - reserved < this.minUnreserved) {
      throw invalidParameter(
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.minUnreserved}].`,
      );
    }
  }

  admit(functionName: string): Admission {
    const reserved = this.reservations().get(functionName);
    let counts = this.functions.get(functionName);
    const current = counts === undefined ? 0 : counts.inFlight;
    const pooled = reserved === undefined;
    if (!pooled) {
      if (current >= reserved) return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    } else if (this.unreservedInFlight >= this.unreservedLimit()) {
      return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    }
    if (counts === undefined) this.functions.set(functionName, (counts = { inFlight: 0, peak: 0 }));
    const mine = counts;
    const now = ++mine.inFlight;
    if (now > mine.peak) mine.peak = now;
    if (pooled) this.unreservedInFlight++;
    this.total++;
    if (this.total > this.totalPeak) this.totalPeak = this.total;
    let released = false;
    return {
      ok: true,
      inFlight: now,
      permit: {
        release: () => {
          if (released) return;
          released = true;
          mine.inFlight--;
          // release from the pool it was taken from, even if the reservation changed meanwhile
          if (pooled) this.unreservedInFlight--;
          this.total--;
        },
      },
    };
  }

  inFlightOf(functionName: string): number {
    return this.functions.get(functionName)?.inFlight ?? 0;
  }

  inFlightTotal(): number {
    return this.total;
  }

  /** the most executions of the function that ever ran at once (since start or the last reset) */
  peakOf(functionName: string): number {
    return this.functions.get(functionName)?.peak ?? 0;
  }

  peakTotal(): number {
    return this.totalPeak;
  }

  resetPeaks(functionName?: string): void {
    if (functionName === undefined) {
      for (const counts of this.functions.values()) counts.peak = 0;
      this.totalPeak = this.total;
    } else {
      const counts = this.functions.get(functionName);
      if (counts) counts.peak = counts.inFlight;
    }
  }
}

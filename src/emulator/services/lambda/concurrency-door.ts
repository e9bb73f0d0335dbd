import type { FrontDoor, WireRequest, WireResponse } from '../../protocols/types.js';
import type { LambdaBackend } from './backend.js';

/**
 * `GET /_lab/lambda/concurrency`: what the account and each function execute right now and the
 * most they ever executed at once (all versions and aliases of a function together), beside their
 * limits. AWS shows the same through CloudWatch's `ConcurrentExecutions` metric (Maximum); this
 * answer is the emulator's own, for benchmarks and for checking that a limit held.
 * `POST /_lab/lambda/concurrency/reset` starts the peaks again from what runs now.
 */
export const CONCURRENCY_PATH = '/_lab/lambda/concurrency';

export class ConcurrencyDoor implements FrontDoor {
  readonly name = 'lambda-concurrency';

  constructor(private readonly backend: LambdaBackend) {}

  matches(req: WireRequest): boolean {
    return req.path === CONCURRENCY_PATH || req.path === `${CONCURRENCY_PATH}/reset`;
  }

  async handle(req: WireRequest): Promise<WireResponse> {
    if (req.path.endsWith('/reset')) {
      if (req.method !== 'POST') return json(405, { message: 'use POST to reset the peaks' });
      this.backend.resetPeakConcurrency();
      for (const name of this.functionNames()) this.backend.resetPeakConcurrency(name);
      return json(200, this.snapshot());
    }
    if (req.method !== 'GET') return json(405, { message: 'use GET' });
    return json(200, this.snapshot());
  }

  private functionNames(): string[] {
    return this.backend.core.state.records().map((r) => r.latest.FunctionName);
  }

  private snapshot() {
    const account = this.backend.getAccountSettings().AccountLimit;
    return {
      accountLimit: account.ConcurrentExecutions,
      unreservedLimit: account.UnreservedConcurrentExecutions,
      inFlight: this.backend.inFlight(),
      peak: this.backend.peakConcurrencyTotal(),
      functions: this.functionNames().map((name) => ({
        functionName: name,
        reservedConcurrentExecutions: this.backend.getFunctionConcurrency(name).ReservedConcurrentExecutions ?? null,
        inFlight: this.backend.inFlight(name),
        peak: this.backend.peakConcurrency(name),
      })),
    };
  }
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * The load test's public model: what a caller asks for (LoadTestOptions), what a run produced
 * (LoadTestResult, raw counts and per-request samples) and what it emits while running.
 * summarize.ts turns a result into the numbers of hey's report; format.ts renders them.
 */

export interface LoadTestOptions {
  /** http: or https: URL */
  readonly url: string;
  /** -n: how many requests in all (ignored when durationMs is set) */
  readonly requests: number;
  /** -c: workers (connections) sending at the same time */
  readonly concurrency: number;
  /** -z: send for this long instead of -n requests; requests in flight at the end complete */
  readonly durationMs?: number;
  /** -z: end the run when this many requests have been sent in all, if the duration has not ended
   * first (default DURATION_MAX_REQUESTS, run.ts); -n is a count of its own */
  readonly durationMaxRequests?: number;
  /** -q: requests per second per worker, one every 1/q s (a fraction too: 0.5 is one every 2 s) */
  readonly ratePerWorker?: number;
  /** -t: seconds before a request counts as timed out; 0 = no timeout */
  readonly timeoutSec: number;
  readonly method: string;
  readonly body?: Buffer;
  /** sent with every request (Content-Type, Accept, User-Agent, -H ...) */
  readonly headers: Readonly<Record<string, string>>;
  /** false (--disable-keepalive): a new TCP connection for each request */
  readonly keepAlive: boolean;
  /** aborting stops sending; requests in flight complete and the result covers what was sent */
  readonly signal?: AbortSignal;
  /** aborting ends every connection at once; requests in flight count as errors */
  readonly abandon?: AbortSignal;
}

/** Per-request samples, in completion order, for the first MAX_SAMPLES responses (as hey keeps 1M). */
export interface LoadTestSamples {
  readonly count: number;
  /** whole request time, first byte written to last byte read */
  readonly latencyMs: Float64Array;
  readonly status: Uint16Array;
  /** when the request started, since the start of the run */
  readonly offsetMs: Float64Array;
}

export interface LoadTestResult {
  readonly url: string;
  readonly method: string;
  readonly concurrency: number;
  /** -n, or null for a -z run */
  readonly requested: number | null;
  readonly startedAt: Date;
  /** real start (first connection) to real end (last completion), not autocannon's 1 s tick */
  readonly durationMs: number;
  /** requests sent: responses + errors */
  readonly sent: number;
  readonly responses: number;
  /** HTTP status → responses */
  readonly statusCounts: Readonly<Record<number, number>>;
  /** requests that got no response: refused, reset, timed out, closed */
  readonly errors: number;
  /** error message → count */
  readonly errorCounts: Readonly<Record<string, number>>;
  /** sum of the responses' Content-Length, hey's "Total data" */
  readonly bodyBytes: number;
  /** every byte read from the server, headers included */
  readonly wireBytes: number;
  /** sum of all response latencies (the average covers every response, even past the sample cap) */
  readonly latencySumMs: number;
  readonly samples: LoadTestSamples;
  /** the run was stopped early by `signal` or `abandon` (not by the -z deadline) */
  readonly interrupted: boolean;
  /** a -z run that ended at its durationMaxRequests, before its duration: that count; else null */
  readonly maxRequestsReached: number | null;
}

/** Running totals, for a progress display. */
export interface LoadTestProgress {
  /** requests completed (responses + errors) */
  readonly done: number;
  /** -n, or null for a -z run */
  readonly total: number | null;
  readonly elapsedMs: number;
  /** responses by class: index 1 = 1xx ... 5 = 5xx (index 0 unused) */
  readonly byClass: readonly number[];
  readonly errors: number;
}

export interface LoadTestListeners {
  /** about every 100 ms while the run goes */
  progress?(p: LoadTestProgress): void;
  /** once, when the signal stops the run: how many requests are still in flight (they complete) */
  stopping?(inFlight: number): void;
  /** once, when the last request has completed */
  end?(p: LoadTestProgress): void;
}

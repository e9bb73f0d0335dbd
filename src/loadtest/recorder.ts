/**
 * What a run records, on the hot path of every response: counters and the per-request samples.
 *
 * Samples go into growable typed arrays, not an HDR histogram: hey's report needs the exact
 * fastest/slowest, its linear histogram between them and nearest-rank percentiles, which a sorted
 * array gives exactly and an HDR histogram only approximately; a Float64Array write costs less than
 * a histogram record, and 1M samples (hey's own cap) take 8 MB per column.
 */
import type { LoadTestProgress, LoadTestSamples } from './types.js';

/** hey keeps the first 1M results for its distributions */
export const MAX_SAMPLES = 1_000_000;

export class Recorder {
  responses = 0;
  errors = 0;
  bodyBytes = 0;
  wireBytes = 0;
  latencySumMs = 0;
  /** responses by class, index = first digit of the status */
  readonly byClass = [0, 0, 0, 0, 0, 0];
  readonly statusCounts: Record<number, number> = {};
  readonly errorCounts: Record<string, number> = {};

  private count = 0;
  private latency: Float64Array;
  private status: Uint16Array;
  private offset: Float64Array;

  constructor(expected: number) {
    const size = Math.max(16, Math.min(expected, MAX_SAMPLES));
    this.latency = new Float64Array(size);
    this.status = new Uint16Array(size);
    this.offset = new Float64Array(size);
  }

  response(status: number, latencyMs: number, offsetMs: number, contentLength: number, wireBytes: number): void {
    this.responses++;
    this.latencySumMs += latencyMs;
    this.wireBytes += wireBytes;
    if (contentLength > 0) this.bodyBytes += contentLength;
    this.statusCounts[status] = (this.statusCounts[status] ?? 0) + 1;
    const cls = (status / 100) | 0;
    if (cls >= 1 && cls <= 5) this.byClass[cls]++;
    if (this.count < MAX_SAMPLES) {
      if (this.count === this.latency.length) this.grow();
      this.latency[this.count] = latencyMs;
      this.status[this.count] = status;
      this.offset[this.count] = offsetMs;
      this.count++;
    }
  }

  error(message: string, n = 1): void {
    this.errors += n;
    this.errorCounts[message] = (this.errorCounts[message] ?? 0) + n;
  }

  get done(): number {
    return this.responses + this.errors;
  }

  progress(total: number | null, elapsedMs: number): LoadTestProgress {
    return { done: this.done, total, elapsedMs, byClass: [...this.byClass], errors: this.errors };
  }

  samples(): LoadTestSamples {
    return {
      count: this.count,
      latencyMs: this.latency.subarray(0, this.count),
      status: this.status.subarray(0, this.count),
      offsetMs: this.offset.subarray(0, this.count),
    };
  }

  private grow(): void {
    const size = Math.min(this.latency.length * 2, MAX_SAMPLES);
    const grow = <T extends Float64Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.latency = grow(this.latency, (n) => new Float64Array(n));
    this.status = grow(this.status, (n) => new Uint16Array(n));
    this.offset = grow(this.offset, (n) => new Float64Array(n));
  }
}

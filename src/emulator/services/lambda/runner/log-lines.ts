/**
 * The platform lines Lambda writes around each invocation in the function's log, in the text log
 * format (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html):
 *   START RequestId: <id> Version: $LATEST
 *   END RequestId: <id>
 *   REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 150.00 ms\t
 * Billed duration is rounded up to the millisecond (1 ms granularity since December 2020).
 */

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  initDurationMs?: number;
  /** `timeout` or `error` when the platform ended the invocation; the REPORT line then says so */
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function reportLine(r: ReportFields): string {
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMB} MB\t` +
    `Max Memory Used: ${r.maxMemoryUsedMB} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (r.status) line += `Status: ${r.status}\t`;
  if (r.errorType) line += `Error Type: ${r.errorType}\t`;
  return line + '\n';
}

export function billedDuration(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/**
 * The line Lambda writes when an init fails or times out. "If a function crashes or times out
 * during the Init phase, Lambda emits error information in the INIT_REPORT log", e.g.
 * `INIT_REPORT Init Duration: 1236.04 ms  Phase: init  Status: timeout` ("Failures in the Init
 * phase", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html); a
 * successful init writes none (its time is the REPORT line's Init Duration). `phase` is `invoke`
 * for the init Lambda retries inside the first invocation: the Telemetry API's platform.initReport
 * carries the same phase (`init` or `invoke`), status and errorType
 * (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html), and function
 * logs show it as `INIT_REPORT Init Duration: 4.87 ms  Phase: invoke  Status: error  Error Type: Runtime.ExitError`.
 * The fields are tab-separated, as in the REPORT line.
 */
export function initReportLine(r: { durationMs: number; phase: 'init' | 'invoke'; status: 'timeout' | 'error'; errorType?: string }): string {
  let line = `INIT_REPORT Init Duration: ${r.durationMs.toFixed(2)} ms\tPhase: ${r.phase}\tStatus: ${r.status}`;
  if (r.errorType) line += `\tError Type: ${r.errorType}`;
  return line + '\n';
}

/** A line the platform writes with the invocation's request id, e.g. the timeout notice. */
export function platformLine(requestId: string, message: string, now = new Date()): string {
  return `${now.toISOString()} ${requestId} ${message}\n`;
}

/**
 * The error documents Lambda returns (with X-Amz-Function-Error: Unhandled) when an invocation
 * fails outside the handler's own code path: the environment timed out, exited or ran out of
 * memory. Errors thrown by the handler are serialized inside the worker (worker/errors.ts) the way
 * the Node.js runtime interface client does it.
 *
 * Sources for the exact texts:
 * - Timeout: "Troubleshoot invocation issues in Lambda", section "Invocation: Function times out"
 *   (https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html) and responses
 *   seen from today's runtimes:
 *   `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}`;
 *   the function log gets `<timestamp> <id> Task timed out after 3.00 seconds`.
 * - process.exit / a crash of the runtime process: errorType `Runtime.ExitError`, errorMessage
 *   `RequestId: <id> Error: Runtime exited with error: exit status <n>`, or
 *   `RequestId: <id> Error: Runtime exited without providing a reason` when the exit code is 0.
 * - Out of memory: the sandbox is killed; errorType `Runtime.OutOfMemory` (older responses said
 *   Runtime.ExitError) with `RequestId: <id> Error: Runtime exited with error: signal: killed`,
 *   and the REPORT line ends with `Status: error  Error Type: Runtime.OutOfMemory`.
 * None of these documents carries a `trace`.
 */
export interface LambdaErrorDocument {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export function timeoutError(requestId: string, timeoutSeconds: number): LambdaErrorDocument {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: ${timeoutMessage(timeoutSeconds)}`,
  };
}

export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

export function exitError(requestId: string, exitCode: number): LambdaErrorDocument {
  const reason =
    exitCode === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${exitCode}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function outOfMemoryError(requestId: string): LambdaErrorDocument {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

/**
 * The init phase may not take longer than 10 s ("Lambda execution environment lifecycle", Init
 * phase). Lambda then retries init inside the invoke, under the function's timeout; the emulator
 * lets the init go on there (execution-environment.ts, onInitLimit).
 */
export const INIT_TIMEOUT_SECONDS = 10;

export function errorBytes(doc: LambdaErrorDocument): Buffer {
  return Buffer.from(JSON.stringify(doc));
}
